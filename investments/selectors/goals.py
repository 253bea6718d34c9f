"""Reads of savings goals and of the histories their simulations draw from."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.money import ZERO
from finance.choices import ContributionStatus
from finance.models import Contribution
from groups.choices import CycleFrequency, MembershipStatus
from groups.models import Chama, Membership
from investments.models import SavingsGoal

# How far back a saver's habit is read: recent enough to be theirs now, long enough to vary.
HISTORY_MONTHS = 36
PERIODS_PER_MONTH = {
    CycleFrequency.WEEKLY: Decimal(52) / 12,
    CycleFrequency.BIWEEKLY: Decimal(26) / 12,
    CycleFrequency.MONTHLY: Decimal(1),
    CycleFrequency.QUARTERLY: Decimal(1) / 3,
}


def goal_list(*, chama: Chama, viewer: Membership, sees_all: bool) -> QuerySet[SavingsGoal]:
    """The chama's goals the viewer sees, soonest first: the chama's own and the viewer's,
    or, for its officers (``sees_all``), every member's too."""
    goals = SavingsGoal.objects.filter(chama=chama)
    if not sees_all:
        goals = goals.filter(Q(membership__isnull=True) | Q(membership=viewer))
    return goals.select_related("membership__user", "created_by__user").order_by(
        "target_date", "-created_at", "pk"
    )


@dataclass(frozen=True)
class ContributionHistory:
    """Monthly amounts to draw from, and where they came from: ``history`` (confirmed
    contributions summed per calendar month, the months with none as zero) or
    ``constitution`` (no full month paid yet: the chama's contribution as a month's worth)."""

    monthly: list[Decimal]
    source: str


def _month_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day.replace(day=1), time.min))


def contribution_history_monthly(
    *, chama: Chama, membership: Membership | None, today: date
) -> ContributionHistory:
    """The saver's confirmed contributions summed per month (Nairobi time) over the last
    ``HISTORY_MONTHS`` full months, from the first month with money to the last full month,
    in one grouped query; a member's own, or the whole chama's for a chama goal."""
    this_month = _month_start(today)
    rows = Contribution.objects.filter(
        chama=chama,
        status=ContributionStatus.CONFIRMED,
        paid_at__gte=this_month - relativedelta(months=HISTORY_MONTHS),
        paid_at__lt=this_month,
    )
    if membership is not None:
        rows = rows.filter(membership=membership)
    totals = {
        row["month"].date(): row["total"]
        for row in rows.annotate(month=TruncMonth("paid_at"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    }
    if totals:
        month, last = min(totals), (this_month - relativedelta(months=1)).date()
        monthly = []
        while month <= last:
            monthly.append(totals.get(month, ZERO))
            month += relativedelta(months=1)
        return ContributionHistory(monthly=monthly, source="history")
    return ContributionHistory(
        monthly=[constitution_monthly(chama=chama, membership=membership)], source="constitution"
    )


def constitution_monthly(*, chama: Chama, membership: Membership | None) -> Decimal:
    """A month's worth of the chama's contribution: one member's, or every active member's
    for a chama goal."""
    per_month = chama.contribution_amount * PERIODS_PER_MONTH[CycleFrequency(chama.cycle_frequency)]
    if membership is None:
        per_month *= chama.memberships.filter(status=MembershipStatus.ACTIVE).count()
    return per_month
