"""Applying money to a member's dues: oldest unsettled due first, and within a due the pot
(rotation) first, then welfare, then savings; what is left becomes member credit."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from core.money import ZERO
from finance import chart
from finance.choices import SETTLED_DUE_STATUSES, DueStatus
from finance.models import Due, DueAllocation, JournalEntry
from finance.services.ledger import Line, credit, ledger_account_get
from groups.models import Membership

# The pot is owed to a member at the next meeting, so it is filled before anything else.
PART_ORDER = ("rotation", "welfare", "savings")


@dataclass
class Applied:
    due: Due
    rotation: Decimal = ZERO
    welfare: Decimal = ZERO
    savings: Decimal = ZERO


def due_status(due: Due) -> DueStatus:
    if due.status == DueStatus.WAIVED:
        return DueStatus.WAIVED
    if due.paid_amount == due.expected_amount:
        return DueStatus.PAID
    return DueStatus.PARTIAL if due.paid_amount > ZERO else DueStatus.PENDING


def dues_unsettled(*, membership: Membership) -> list[Due]:
    """The member's unsettled dues, oldest first (the caller holds the member's lock)."""
    return list(
        Due.objects.filter(membership=membership)
        .exclude(status__in=SETTLED_DUE_STATUSES)
        # membership too: django-auditlog reads it back for every due it logs.
        .select_related("round__cycle", "membership")
        .order_by("due_date", "round__cycle__number", "round__number")
    )


def dues_allocate(dues: list[Due], amount: Decimal) -> tuple[list[Applied], Decimal]:
    """Split ``amount`` over the dues in order; returns the parts and what is left over."""
    left = amount
    applied = []
    for due in dues:
        if left == ZERO:
            break
        parts = Applied(due)
        for part in PART_ORDER:
            owed = getattr(due, f"{part}_amount") - getattr(due, f"paid_{part}")
            take = min(owed, left)
            setattr(parts, part, take)
            left -= take
        if parts.rotation or parts.welfare or parts.savings:
            applied.append(parts)
    return applied, left


def dues_credit_lines(
    *, membership: Membership, applied: list[Applied], leftover: Decimal
) -> list[Line]:
    """The credit legs for money applied to dues: each round's pot, the member's savings, the
    welfare fund, and member credit for anything left over."""
    chama = membership.chama
    per_round: dict[object, Decimal] = defaultdict(lambda: ZERO)
    savings = welfare = ZERO
    for parts in applied:
        per_round[parts.due.round] += parts.rotation
        savings += parts.savings
        welfare += parts.welfare
    lines = [
        credit(ledger_account_get(chama=chama, code=chart.POT_PAYABLE, round=rnd), amount)  # type: ignore[arg-type]
        for rnd, amount in per_round.items()
        if amount
    ]
    if savings:
        lines.append(
            credit(
                ledger_account_get(chama=chama, code=chart.MEMBER_SAVINGS, member=membership),
                savings,
            )
        )
    if welfare:
        lines.append(credit(ledger_account_get(chama=chama, code=chart.WELFARE_FUND), welfare))
    if leftover:
        lines.append(
            credit(
                ledger_account_get(chama=chama, code=chart.MEMBER_CREDIT, member=membership),
                leftover,
            )
        )
    return lines


def dues_record_applied(*, entry: JournalEntry, applied: list[Applied]) -> None:
    """Store the allocations of ``entry`` and move the dues' paid amounts and statuses."""
    DueAllocation.objects.bulk_create(
        [
            DueAllocation(
                entry=entry, due=p.due, rotation=p.rotation, savings=p.savings, welfare=p.welfare
            )
            for p in applied
        ]
    )
    for parts in applied:
        due = parts.due
        due.paid_rotation += parts.rotation
        due.paid_savings += parts.savings
        due.paid_welfare += parts.welfare
        due.status = due_status(due)
        due.save(
            update_fields=["paid_rotation", "paid_savings", "paid_welfare", "status", "updated_at"]
        )


def dues_undo_entry(*, entry: JournalEntry) -> list[Due]:
    """Take back what ``entry`` applied to dues (its reversal is being posted)."""
    reopened = []
    for allocation in entry.allocations.select_related("due").order_by("due_id"):
        due = allocation.due
        due.paid_rotation -= allocation.rotation
        due.paid_savings -= allocation.savings
        due.paid_welfare -= allocation.welfare
        due.status = due_status(due)
        due.save(
            update_fields=["paid_rotation", "paid_savings", "paid_welfare", "status", "updated_at"]
        )
        reopened.append(due)
    return reopened
