"""Fines as governance applies them: a payment request that is either money an official
records or the member's own savings, and the constitution's rule fines the daily job issues
(``fines_issue``): late contributions, missed meetings and lateness.

The money lives in finance (finance.services.fines); the rules come from each chama's
constitution, read for every chama at once (``constitution_rules_map``)."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import F, QuerySet
from django.utils import timezone

from core.exceptions import ValidationFailed
from core.money import ZERO, money
from finance.choices import SETTLED_DUE_STATUSES, FineKind
from finance.models import Due, Fine
from finance.services.fines import FineToIssue, fine_pay, fine_pay_from_savings, fines_issue_bulk
from governance.choices import FineInterval
from governance.choices import FineKind as ChargeKind
from governance.constitution_rules import HUNDRED, FineRules, Rules
from governance.exceptions import FinesApiError
from governance.models import Attendance, AttendanceStatus, MeetingStatus
from governance.selectors.constitution import constitution_rules_map, late_fine_since_map
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


# How far back the job looks for meetings whose absences and lateness it fines: attendance is
# recorded at the meeting or within days of it, and a rule adopted today does not reach back
# further than this.
MEETING_FINE_DAYS = 30


@dataclass(frozen=True)
class LateFineRule:
    """A chama's late-contribution fine, the constitution's ``fines.late_contribution`` with
    the contribution's ``grace_days``: ``amount`` (fixed) or ``amount`` percent of the unpaid
    part (percent: 5 is 5%), charged once or for every day / week late after the grace days,
    never more than ``cap`` in all for one due (None: no cap). A due already late before
    ``since`` (the day the chama adopted a late-contribution rule) is never fined: members
    agreed to the rule from then on, not for what was late before it."""

    kind: ChargeKind = ChargeKind.FIXED
    amount: Decimal = ZERO
    interval: FineInterval = FineInterval.ONCE
    cap: Decimal | None = None
    grace_days: int = 0
    since: date | None = None

    @classmethod
    def from_rules(cls, rules: Rules, *, since: date | None = None) -> "LateFineRule | None":
        """The rule of a constitution; None when it fines no late contribution."""
        late = rules.fines.late_contribution
        if late is None:
            return None
        return cls(
            kind=late.kind,
            amount=late.amount,
            interval=late.interval,
            cap=late.cap,
            grace_days=rules.contribution.grace_days,
            since=since,
        )

    def fines_due(self, due_date: date) -> bool:
        """Whether a due of ``due_date`` fell late (its first day past the grace days) on or
        after the rule's adoption."""
        first_late = due_date + timedelta(days=self.grace_days + 1)
        return self.since is None or first_late >= self.since

    def charge(self, unpaid: Decimal) -> Decimal:
        if self.kind == ChargeKind.FIXED:
            return self.amount
        return money(unpaid * self.amount / HUNDRED)

    def periods(self, days_late: int) -> list[str]:
        """The periods a due ``days_late`` past its grace days is fined for so far."""
        if days_late <= 0:
            return []
        if self.interval == FineInterval.ONCE:
            return ["late"]
        if self.interval == FineInterval.PER_DAY:
            return [f"d{n}" for n in range(1, days_late + 1)]
        return [f"w{n}" for n in range(1, (days_late - 1) // 7 + 2)]


def _due_fines(due: Due, rule: LateFineRule, on: date) -> list[FineToIssue]:
    unpaid = due.expected_amount - due.paid_rotation - due.paid_savings - due.paid_welfare
    charge = rule.charge(unpaid)
    if unpaid <= ZERO or charge <= ZERO or not rule.fines_due(due.due_date):
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


def _unsettled_dues(on: date) -> QuerySet[Due]:
    """Active members' dues past their date and not settled, over every chama, one query."""
    return (
        Due.objects.filter(due_date__lt=on, membership__status=MembershipStatus.ACTIVE)
        .exclude(status__in=SETTLED_DUE_STATUSES)
        .exclude(expected_amount__lte=F("paid_rotation") + F("paid_savings") + F("paid_welfare"))
        .select_related("membership__chama")
        .order_by("due_date", "pk")
    )


def _late_fines(
    dues: Iterable[Due], on: date, rules_for: Callable[[Chama], LateFineRule | None]
) -> list[FineToIssue]:
    rules: dict[UUID, LateFineRule | None] = {}
    wanted: list[FineToIssue] = []
    for due in dues:
        chama = due.membership.chama
        if chama.pk not in rules:
            rules[chama.pk] = rules_for(chama)
        rule = rules[chama.pk]
        if rule is not None:
            wanted += _due_fines(due, rule, on)
    return wanted


def fines_issue_due(*, on: date, rules_for: Callable[[Chama], LateFineRule | None]) -> list[Fine]:
    """Fine every active member whose due is still unsettled past its chama's grace days, once
    per (member, due, rule period) however often it runs, by the rule ``rules_for`` gives
    each chama (None: it fines no late contributions; asked once per chama). One read of the
    unsettled dues over every chama, then ``fines_issue_bulk``. Returns the fines it issued."""
    return fines_issue_bulk(fines=_late_fines(_unsettled_dues(on), on, rules_for))


def _fineable_attendance(on: date) -> QuerySet[Attendance]:
    """Active members marked absent (not excused) or late at meetings held in the
    ``MEETING_FINE_DAYS`` up to ``on``, over every chama, one query."""
    return (
        Attendance.objects.filter(
            status__in=[AttendanceStatus.ABSENT, AttendanceStatus.LATE],
            meeting__status=MeetingStatus.HELD,
            meeting__starts_at__date__gte=on - timedelta(days=MEETING_FINE_DAYS),
            meeting__starts_at__date__lte=on,
            membership__status=MembershipStatus.ACTIVE,
        )
        .select_related("meeting", "membership__chama")
        .order_by("meeting__starts_at", "pk")
    )


def _meeting_fines(
    rows: Iterable[Attendance], on: date, rules: Mapping[UUID, FineRules]
) -> list[FineToIssue]:
    """The missed-meeting and lateness fines of ``rows``, the period the meeting's id."""
    wanted = []
    for row in rows:
        fines = rules[row.membership.chama_id]
        absent = row.status == AttendanceStatus.ABSENT
        amount = fines.missed_meeting if absent else fines.lateness
        if amount <= ZERO:
            continue
        held = timezone.localtime(row.meeting.starts_at).date().isoformat()
        wanted.append(
            FineToIssue(
                membership=row.membership,
                kind=FineKind.MISSED_MEETING if absent else FineKind.LATENESS,
                period=row.meeting_id.hex,
                amount=amount,
                reason=f"{'Missed' if absent else 'Late to'} the meeting of {held}",
                effective_date=on,
            )
        )
    return wanted


def fines_issue(*, on: date | None = None) -> list[Fine]:
    """The daily job: the constitution's rule fines of every chama, each once per (member,
    rule, period) however often it runs — late contributions (per due and day / week / once),
    missed meetings and lateness (per meeting); a due late before its chama adopted the
    late-contribution rule is not fined. Set-based: one read of the unsettled dues, one of the
    attendance to fine, two of the rules of the chamas concerned (``constitution_rules_map``),
    one of when each adopted its late-contribution rule, then one ``fines_issue_bulk``,
    whatever the number of chamas and members. Returns the fines this run issued."""
    on = on or timezone.localdate()
    dues = list(_unsettled_dues(on))
    rows = list(_fineable_attendance(on))
    chamas = {due.membership.chama.pk: due.membership.chama for due in dues}
    chamas |= {row.membership.chama.pk: row.membership.chama for row in rows}
    rules = constitution_rules_map(chamas=chamas.values())
    since = late_fine_since_map(chama_ids={due.membership.chama_id for due in dues})
    wanted = _late_fines(
        dues,
        on,
        lambda chama: LateFineRule.from_rules(rules[chama.pk], since=since.get(chama.pk)),
    )
    wanted += _meeting_fines(rows, on, {pk: r.fines for pk, r in rules.items()})
    return fines_issue_bulk(fines=wanted)
