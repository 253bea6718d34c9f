"""Fines as governance applies them: a payment request that is either money an official
records or the member's own savings, and the late-contribution rule the daily job applies.

The money lives in finance (finance.services.fines); where each chama's rule comes from (its
constitution) is the caller's: ``fines_issue_due`` takes it as ``rules_for``."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import F

from core.exceptions import ValidationFailed
from core.money import ZERO, money
from finance.choices import SETTLED_DUE_STATUSES, FineKind
from finance.models import Due, Fine
from finance.services.fines import FineToIssue, fine_pay, fine_pay_from_savings, fines_issue_bulk
from governance.exceptions import FinesApiError
from groups.choices import MembershipStatus
from groups.models import Chama, Membership


def fine_settle(
    *,
    fine: Fine,
    acting: Membership,
    from_savings: bool = False,
    amount: Decimal | None = None,
    method: str = "",
    mpesa_receipt: str | None = None,
    paid_at: datetime | None = None,
) -> Fine:
    """POST fines/{id}/pay/: the fined member pays from their savings (``from_savings``), or an
    official records money paid (amount and method)."""
    if from_savings:
        if amount is not None or method:
            raise ValidationFailed(FinesApiError.SAVINGS_TAKES_NO_TERMS, field="from_savings")
        return fine_pay_from_savings(fine=fine, acting=acting)
    if amount is None or not method:
        raise ValidationFailed(
            FinesApiError.PAYMENT_TERMS_REQUIRED, field="method" if amount else "amount"
        )
    return fine_pay(
        fine=fine,
        acting=acting,
        amount=amount,
        method=method,
        mpesa_receipt=mpesa_receipt,
        paid_at=paid_at,
    )


ONCE, PER_DAY, PER_WEEK = "once", "per_day", "per_week"
FIXED, PERCENT = "fixed", "percent"


@dataclass(frozen=True)
class LateFineRule:
    """A chama's late-contribution fine: ``amount`` (fixed) or ``rate`` of the unpaid part
    (percent, a fraction: 0.05 is 5%), charged ``once`` or per day / per week late after
    ``grace_days``, up to ``cap`` per due (None: no cap)."""

    basis: str = FIXED
    amount: Decimal = ZERO
    rate: Decimal = ZERO
    frequency: str = ONCE
    grace_days: int = 0
    cap: Decimal | None = None

    def charge(self, unpaid: Decimal) -> Decimal:
        return self.amount if self.basis == FIXED else money(unpaid * self.rate)

    def periods(self, days_late: int) -> list[str]:
        """The periods a due ``days_late`` past its grace days is fined for so far."""
        if days_late <= 0:
            return []
        if self.frequency == ONCE:
            return ["late"]
        if self.frequency == PER_DAY:
            return [f"d{n}" for n in range(1, days_late + 1)]
        return [f"w{n}" for n in range(1, (days_late - 1) // 7 + 2)]


def _due_fines(due: Due, rule: LateFineRule, on: date) -> list[FineToIssue]:
    unpaid = due.expected_amount - due.paid_rotation - due.paid_savings - due.paid_welfare
    charge = rule.charge(unpaid)
    if unpaid <= ZERO or charge <= ZERO:
        return []
    days_late = (on - due.due_date).days - rule.grace_days
    fines, total = [], ZERO
    for period in rule.periods(days_late):
        amount = charge if rule.cap is None else min(charge, rule.cap - total)
        if amount <= ZERO:
            break
        total += amount
        fines.append(
            FineToIssue(
                membership=due.membership,
                kind=FineKind.LATE_CONTRIBUTION,
                # The due's id (32) and the rule's period: at most 40 characters.
                period=f"{due.pk.hex}:{period}",
                amount=amount,
                reason=f"Contribution due {due.due_date.isoformat()} unpaid",
                effective_date=on,
            )
        )
    return fines


def fines_issue_due(*, on: date, rules_for: Callable[[Chama], LateFineRule | None]) -> list[Fine]:
    """Fine every active member whose due is still unsettled past its chama's grace days, once
    per (member, due, rule period) however often it runs: one read of the unsettled dues over
    every chama, then ``fines_issue_bulk``. ``rules_for`` gives a chama's rule (None: the
    chama fines no late contributions). Returns the fines this run issued."""
    dues = (
        Due.objects.filter(due_date__lt=on, membership__status=MembershipStatus.ACTIVE)
        .exclude(status__in=SETTLED_DUE_STATUSES)
        .exclude(expected_amount__lte=F("paid_rotation") + F("paid_savings") + F("paid_welfare"))
        .select_related("membership__chama")
        .order_by("due_date", "pk")
    )
    rules: dict[object, LateFineRule | None] = {}
    wanted: list[FineToIssue] = []
    for due in dues:
        chama = due.membership.chama
        if chama.pk not in rules:
            rules[chama.pk] = rules_for(chama)
        rule = rules[chama.pk]
        if rule is not None:
            wanted += _due_fines(due, rule, on)
    return fines_issue_bulk(fines=wanted)
