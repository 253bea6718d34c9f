"""Reads for profit: what the books hold to declare, each member's weight, the declarations
and the wealth reports."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Greatest

from core.money import ZERO, money
from finance import chart
from finance.choices import Side
from finance.models import Posting
from governance.choices import ProfitBasis
from groups.choices import MembershipStatus
from groups.models import Chama, Membership
from investments.models import ProfitDeclaration, ProfitShare
from investments.models.profits import WEIGHT_MAX_DIGITS, WEIGHT_PLACES

WEIGHT_OUTPUT = DecimalField(max_digits=WEIGHT_MAX_DIGITS, decimal_places=WEIGHT_PLACES)
# What a member holds that profit is shared on: savings (2100-M) and credit (2500-M), since an
# overpayment is the member's own money wherever savings count (DESIGN §3.3).
HELD_CODES = (chart.MEMBER_SAVINGS, chart.MEMBER_CREDIT)


class DaysUntil(Func):
    """Whole days from the date ``start`` (an expression) to the date ``end``."""

    output_field = IntegerField()
    # PostgreSQL: a date minus a date is its number of days.
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def __init__(self, start: Any, end: date) -> None:
        super().__init__(Value(end, output_field=DateField()), start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


@dataclass(frozen=True)
class IncomeAvailable:
    """Investment income realised and not yet declared: 4300's credit balance (gross) and
    5400's debit balance (the withholding tax on it)."""

    gross: Decimal
    tax: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.tax


def profit_income_available(*, chama: Chama) -> IncomeAvailable:
    """What a declaration may close, summed from the postings (so an income entry posted
    earlier in the caller's own transaction counts, before its balances are applied)."""
    signed = Case(
        When(side=Side.DEBIT, then=F("amount")),
        default=-F("amount"),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )
    totals = Posting.objects.filter(
        account__chama=chama,
        account__code__in=(chart.INVESTMENT_INCOME, chart.WITHHOLDING_TAX),
    ).aggregate(
        income=Sum(signed, filter=Q(account__code=chart.INVESTMENT_INCOME)),
        tax=Sum(signed, filter=Q(account__code=chart.WITHHOLDING_TAX)),
    )
    # SQLite sums decimals as floats; every amount is in cents, so the cent is exact.
    return IncomeAvailable(
        gross=-money(Decimal(str(totals["income"] or ZERO))),
        tax=money(Decimal(str(totals["tax"] or ZERO))),
    )


def profit_members_list(*, chama: Chama) -> list[Membership]:
    """The active members who share a declaration, in seat order (then join order)."""
    return list(
        Membership.objects.filter(chama=chama, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by(F("seat").asc(nulls_last=True), "member_code")
    )


def profit_weights_get(
    *,
    chama: Chama,
    members: list[Membership],
    basis: str,
    period_start: date,
    period_end: date,
) -> list[Decimal]:
    """Each member's weight, in the order of ``members``, from one grouped query.

    ``savings``: what the member held in savings and credit at the end of ``period_end``.
    ``contribution_days``: Σ over the member's savings and credit postings up to
    ``period_end`` of the amount times the days it was held in the period, from its date (or the
    period's start, for money held before it) to ``period_end`` — a credit counts its days, a
    debit takes off the days the money was no longer there, so the weight is the sum of the
    member's daily balances over the period.
    """
    held: Any = Case(
        When(side=Side.CREDIT, then=F("amount")),
        default=-F("amount"),
        output_field=WEIGHT_OUTPUT,
    )
    if basis == ProfitBasis.CONTRIBUTION_DAYS:
        since = Greatest(F("entry__effective_date"), Value(period_start, output_field=DateField()))
        held = ExpressionWrapper(held * DaysUntil(since, period_end), output_field=WEIGHT_OUTPUT)
    rows = (
        Posting.objects.filter(
            account__chama=chama,
            account__code__in=HELD_CODES,
            account__member__in=[m.pk for m in members],
            entry__effective_date__lte=period_end,
        )
        .values("account__member")
        .annotate(weight=Sum(held))
        .values_list("account__member", "weight")
    )
    weights = {member: money(Decimal(str(weight or ZERO))) for member, weight in rows}
    return [max(weights.get(m.pk, ZERO), ZERO) for m in members]


def profit_declaration_list(*, chama: Chama) -> QuerySet[ProfitDeclaration]:
    """The chama's declarations, newest first, each with how many shares are still open."""
    return (
        ProfitDeclaration.objects.filter(chama=chama)
        .select_related("chama", "declared_by__user")
        .annotate(
            shares_count=Count("shares"),
            shares_open=Count("shares", filter=Q(shares__settled_at__isnull=True)),
        )
        .order_by("-declared_on", "-created_at", "-id")
    )


def wealth_report_list(
    *, chama: Chama, membership: Membership | None = None
) -> QuerySet[ProfitShare]:
    """The chama's profit shares as wealth reports, newest declaration first, then seat
    order; only ``membership``'s own when given (what a member who holds no office sees)."""
    shares = ProfitShare.objects.filter(declaration__chama=chama)
    if membership is not None:
        shares = shares.filter(membership=membership)
    return shares.select_related("declaration__chama", "membership__user").order_by(
        "-declaration__declared_on",
        "-declaration__created_at",
        "declaration_id",
        F("membership__seat").asc(nulls_last=True),
        "membership__member_code",
    )
