"""Applying money to a member's dues: oldest unsettled due first, and within a due the pot
(rotation) first, then welfare, then savings; what is left becomes member credit."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from core.audit import Changes, audit_write
from core.money import ZERO
from finance import chart
from finance.choices import SETTLED_DUE_STATUSES, DueStatus
from finance.models import Due, DueAllocation, JournalEntry, LedgerAccount, Round
from finance.services.ledger import AccountKey, Line, credit, ledger_accounts_get
from finance.services.payouts import pot_top_ups_watch
from groups.models import Membership

# A year of monthly dues: the most a page of them read for a payment holds.
DUES_PAGE = 12
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


def dues_unsettled(*, membership: Membership, covering: Decimal | None = None) -> list[Due]:
    """The member's unsettled dues, oldest first (the caller holds the member's lock). With
    ``covering``, only as many as that amount can reach (read a page at a time): a long cycle
    has a due per round, and a payment reads the few it settles, not all of them. The dues
    carry ``membership`` itself (their audit rows name the member) and their rounds."""
    dues = (
        membership.dues.exclude(status__in=SETTLED_DUE_STATUSES)
        .select_related("round")
        .order_by("due_date", "round__cycle__number", "round__number")
    )
    if covering is None:
        return list(dues)
    found: list[Due] = []
    size = _dues_page_size(membership, covering)
    while covering > ZERO:
        page = list(dues[len(found) : len(found) + size])
        found += page
        covering -= sum((due.remaining for due in page), ZERO)
        if len(page) < size:
            break
        size = DUES_PAGE
    return found


def _dues_page_size(membership: Membership, covering: Decimal) -> int:
    """How many dues a first read takes for ``covering``: the dues it pays in full at the
    chama's rate, one for the rest and one more for a due already partly paid. Each row read
    is built into objects under the member's lock, so a month's payment reads two dues, not
    a year of them; dues set at a lower rate than today's may take the next page."""
    rate = membership.chama.contribution_amount
    if rate <= ZERO:
        return DUES_PAGE
    return min(DUES_PAGE, int(covering // rate) + 2)


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
    *,
    membership: Membership,
    applied: list[Applied],
    leftover: Decimal,
    also: Iterable[AccountKey] = (),
) -> tuple[list[Line], dict[AccountKey, LedgerAccount]]:
    """The credit legs for money applied to dues: each round's pot, the member's savings, the
    welfare fund, and member credit for anything left over. Their accounts, and the ``also``
    accounts the caller needs (where the money came from), are read in one query."""
    per_round: dict[Round, Decimal] = defaultdict(lambda: ZERO)
    savings = welfare = ZERO
    for parts in applied:
        per_round[parts.due.round] += parts.rotation
        savings += parts.savings
        welfare += parts.welfare
    legs: list[tuple[AccountKey, Decimal]] = [
        ((chart.POT_PAYABLE, None, rnd), amount) for rnd, amount in per_round.items()
    ]
    legs += [
        ((chart.MEMBER_SAVINGS, membership, None), savings),
        ((chart.WELFARE_FUND, None, None), welfare),
        ((chart.MEMBER_CREDIT, membership, None), leftover),
    ]
    legs = [(key, amount) for key, amount in legs if amount]
    accounts = ledger_accounts_get(chama=membership.chama, keys=[*also, *(key for key, _ in legs)])
    return [credit(accounts[key], amount) for key, amount in legs], accounts


PAID_FIELDS = ("paid_rotation", "paid_savings", "paid_welfare", "status")


def dues_record_applied(
    *, entry: JournalEntry, applied: list[Applied]
) -> list[tuple[Due, Changes]]:
    """Store the allocations of ``entry`` and move the dues' paid amounts and statuses, in one
    insert and one update however many dues it settles. Rotation money that reached a pot
    already paid out is proposed as a top-up to its recipient before the transaction commits.
    Returns what changed, for the caller's ``core.audit.audit_write``."""
    if not applied:
        return []
    allocations = DueAllocation.objects.bulk_create(
        [
            DueAllocation(
                entry=entry, due=p.due, rotation=p.rotation, savings=p.savings, welfare=p.welfare
            )
            for p in applied
        ]
    )
    audit_write(created=allocations)
    changes = []
    now = timezone.now()
    for parts in applied:
        due = parts.due
        before = {field: getattr(due, field) for field in PAID_FIELDS}
        due.paid_rotation += parts.rotation
        due.paid_savings += parts.savings
        due.paid_welfare += parts.welfare
        due.status = due_status(due)
        due.updated_at = now
        changes.append(
            (
                due,
                {
                    f: (before[f], getattr(due, f))
                    for f in PAID_FIELDS
                    if before[f] != getattr(due, f)
                },
            )
        )
    fields = [*PAID_FIELDS, "updated_at"]
    if len(applied) == 1:
        # A payment usually settles one due: a plain UPDATE costs a fifth of bulk_update's
        # CASE per field to build.
        due = applied[0].due
        Due.objects.filter(pk=due.pk).update(**{field: getattr(due, field) for field in fields})
    else:
        Due.objects.bulk_update([p.due for p in applied], fields)
    pot_top_ups_watch(
        rounds=[p.due.round for p in applied if p.rotation], proposed_by=entry.recorded_by
    )
    return changes


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
