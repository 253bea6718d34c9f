"""The counts behind every member's credit score (reference/money.md "Credit score"), read
for all memberships at once: four aggregate queries grouped by membership, whatever the number
of members, chamas, dues, loans or meetings.

A due or an installment counts once its last on-time day has passed: its due date plus the
grace days (a contribution's from the constitution in force, ``contribution.grace_days``; an
installment's from the loan policy, ``grace_days``). It was paid on time when it is settled
and the payment that completed it is dated no later than that day. One still inside its grace
days counts neither way yet. Waived dues do not count: the chama excused them.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate

from finance.choices import DueStatus, InstallmentStatus, LoanStatus
from finance.models import Due, DueAllocation, Installment, RepaymentAllocation
from governance.models import Attendance, AttendanceStatus, ConstitutionVersion, MeetingStatus
from groups.models import Membership

# A member has borrowed once a loan of theirs was paid out: its installments then count.
BORROWED_LOAN_STATUSES = (
    LoanStatus.DISBURSED,
    LoanStatus.ACTIVE,
    LoanStatus.REPAID,
    LoanStatus.DEFAULTED,
    LoanStatus.WRITTEN_OFF,
)
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass
class ScoreCounts:
    """What one member's score is computed from, as of a day."""

    membership_id: UUID
    chama_id: UUID
    joined_on: date
    dues_fallen: int = 0
    dues_on_time: int = 0
    installments_due: int = 0
    installments_on_time: int = 0
    meetings_held: int = 0
    meetings_attended: int = 0


def _last_on_time_day(due_date: str, grace_days: Expression) -> ExpressionWrapper:
    """``due_date`` + ``grace_days`` days, in SQL (a date on SQLite, a timestamp at midnight
    on PostgreSQL: either compares with a date as the day it is)."""
    grace = ExpressionWrapper(grace_days * Value(timedelta(days=1)), output_field=DurationField())
    return ExpressionWrapper(F(due_date) + grace, output_field=DateField())


def _contribution_grace() -> Coalesce:
    """The grace days of the constitution in force in the due's chama (0 without one)."""
    current = (
        ConstitutionVersion.objects.filter(chama=OuterRef("chama"))
        .order_by("-number")
        .annotate(grace=Cast(KT("rules__contribution__grace_days"), IntegerField()))
        .values("grace")[:1]
    )
    return Coalesce(Subquery(current, output_field=IntegerField()), Value(0))


def _dues_counts(as_of: date) -> dict[UUID, tuple[int, int]]:
    settled_on = (
        DueAllocation.objects.filter(due=OuterRef("pk"), entry__reversal__isnull=True)
        .order_by()
        .values("due")
        .annotate(last=Max("entry__effective_date"))
        .values("last")
    )
    rows = (
        Due.objects.exclude(status=DueStatus.WAIVED)
        .annotate(
            last_day=_last_on_time_day("due_date", _contribution_grace()),
            settled_on=Subquery(settled_on, output_field=DateField()),
        )
        .filter(last_day__lt=as_of)
        .order_by()
        .values("membership_id")
        .annotate(
            fallen=Count("pk"),
            on_time=Count("pk", filter=Q(status=DueStatus.PAID, settled_on__lte=F("last_day"))),
        )
        .values_list("membership_id", "fallen", "on_time")
    )
    return {pk: (fallen, on_time) for pk, fallen, on_time in rows}


def _installment_counts(as_of: date) -> dict[UUID, tuple[int, int]]:
    paid_at = (
        RepaymentAllocation.objects.filter(installment=OuterRef("pk"))
        .order_by()
        .values("installment")
        .annotate(last=Max("repayment__paid_at"))
        .values("last")
    )
    grace = Coalesce(
        F("loan__chama__loan_policy__grace_days"), Value(0), output_field=IntegerField()
    )
    rows = (
        Installment.objects.filter(loan__status__in=BORROWED_LOAN_STATUSES)
        .annotate(
            last_day=_last_on_time_day("due_date", grace),
            paid_on=TruncDate(Subquery(paid_at)),
        )
        .filter(last_day__lt=as_of)
        .order_by()
        .values("loan__membership_id")
        .annotate(
            due=Count("pk"),
            on_time=Count(
                "pk", filter=Q(status=InstallmentStatus.PAID, paid_on__lte=F("last_day"))
            ),
        )
        .values_list("loan__membership_id", "due", "on_time")
    )
    return {pk: (due, on_time) for pk, due, on_time in rows}


def _attended_counts(as_of: date) -> dict[UUID, int]:
    rows = (
        Attendance.objects.filter(
            status__in=ATTENDED_STATUSES,
            meeting__status=MeetingStatus.HELD,
            meeting__starts_at__date__lt=as_of,
            meeting__starts_at__date__gte=F("membership__joined_on"),
        )
        .order_by()
        .values("membership_id")
        .annotate(attended=Count("pk"))
        .values_list("membership_id", "attended")
    )
    return dict(rows)


def credit_score_counts(*, as_of: date) -> list[ScoreCounts]:
    """The counts of every membership as of ``as_of`` (events before that day), in four
    queries: the memberships with the meetings held in their chama since they joined, their
    dues, their borrowed loans' installments and their attendance."""
    held = Q(
        chama__meetings__status=MeetingStatus.HELD,
        chama__meetings__starts_at__date__lt=as_of,
        chama__meetings__starts_at__date__gte=F("joined_on"),
    )
    members = (
        Membership.objects.order_by("pk")
        .annotate(held=Count("chama__meetings", filter=held))
        .values_list("pk", "chama_id", "joined_on", "held")
    )
    counts = {
        pk: ScoreCounts(membership_id=pk, chama_id=chama_id, joined_on=joined, meetings_held=n)
        for pk, chama_id, joined, n in members
    }
    dues = _dues_counts(as_of)
    installments = _installment_counts(as_of)
    attended: defaultdict[UUID, int] = defaultdict(int, _attended_counts(as_of))
    for pk, row in counts.items():
        row.dues_fallen, row.dues_on_time = dues.get(pk, (0, 0))
        row.installments_due, row.installments_on_time = installments.get(pk, (0, 0))
        row.meetings_attended = attended[pk]
    return list(counts.values())
