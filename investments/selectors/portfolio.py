"""A chama's portfolio: what it holds, how it is spread, what it has earned.

Values are book values from the ledger: a holding carries its cost (a fund, its cost with
the interest credited) until it matures; income is recognised when credited or matured.

- Allocation: the active holdings' carrying values by kind, each with its share of the
  total; the portfolio is diversified when no kind holds more than 60%.
- ROI: income booked (4300, gross) over everything ever placed (the prices paid); the net
  figure takes off the withholding tax (5400) too.
- Year-to-date return, time-weighted over the chama's flows: the year since 1 January is cut
  at every day money goes in (a placement, with a T-bill's tax paid up front) or comes out (a
  maturity); each piece's return is the net income it realised over the value invested at its
  start, and the pieces are chained: TWR = Π (1 + income_i / value_i) - 1. A day's income is
  counted before that day's flows. Chaining makes the figure independent of how much money
  the chama moved in and out, and of when.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from django.db.models import Prefetch
from django.utils import timezone

from core.money import ZERO
from groups.models import Chama
from investments import math
from investments.choices import TBILL_KINDS, HoldingStatus, OptionKind
from investments.models import Holding, MmfCredit

MAX_SHARE = Decimal("0.60")
RATIO = Decimal("0.0001")
UPCOMING_DAYS = 90
PLACED = (HoldingStatus.ACTIVE, HoldingStatus.MATURED, HoldingStatus.CLOSED)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    if not denominator:
        return Decimal("0.0000")
    with localcontext() as ctx:
        ctx.prec = 40
        return (numerator / denominator).quantize(RATIO, rounding=ROUND_HALF_EVEN)


@dataclass
class Allocation:
    kind: str
    label: str
    value: Decimal
    share: Decimal


@dataclass
class Portfolio:
    currency: str
    as_of: date
    holdings: list[Holding]
    total_value: Decimal
    allocation: list[Allocation]
    diversified: bool
    invested: Decimal
    income: Decimal
    tax: Decimal
    roi: Decimal
    roi_net: Decimal
    ytd_return: Decimal
    upcoming_maturities: list[Holding] = field(default_factory=list)


def _credit_date(credit: MmfCredit, placed_on: date) -> date:
    return max(credit.month, placed_on) + timedelta(days=credit.days - 1)


def time_weighted_return(holdings: list[Holding], *, start: date, end: date) -> Decimal:
    """The time-weighted return from ``start`` to ``end`` (both included) of ``holdings``
    (with their ``credits`` prefetched), as the module docstring says."""
    income: dict[date, Decimal] = defaultdict(lambda: ZERO)
    flows: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for h in holdings:
        invested = h.cost + h.tax_withheld_up_front
        flows[h.placed_on] += invested
        credited = ZERO
        for credit in h.credits.all():
            if credit.gross:
                income[_credit_date(credit, h.placed_on)] += credit.net
                credited += credit.net
        if h.matured_on is not None and h.income is not None:
            net = h.income - (h.maturity_tax or ZERO) - h.tax_withheld_up_front
            income[h.matured_on] += net
            flows[h.matured_on] -= invested + credited + net
    value, growth = ZERO, Decimal(1)
    with localcontext() as ctx:
        ctx.prec = 40
        for day in sorted(set(income) | set(flows)):
            if day > end:
                break
            if day >= start and income[day] and value > ZERO:
                growth *= 1 + income[day] / value
            value += income[day] + flows[day]
        return (growth - 1).quantize(RATIO, rounding=ROUND_HALF_EVEN)


def portfolio_get(*, chama: Chama, on: date | None = None) -> Portfolio:
    """The portfolio of ``chama`` on ``on`` (today), in two queries: its holdings with their
    option and account, and the funds' monthly credits."""
    on = on or timezone.localdate()
    holdings = list(
        Holding.objects.filter(chama=chama, status__in=PLACED)
        .select_related("option", "ledger_account")
        .prefetch_related(Prefetch("credits", queryset=MmfCredit.objects.order_by("month")))
        .order_by("matures_on", "placed_on", "pk")
    )
    active = [h for h in holdings if h.status == HoldingStatus.ACTIVE]
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for h in active:
        by_kind[h.kind] += h.ledger_account.cached_balance
    total = sum(by_kind.values(), ZERO)
    allocation = [
        Allocation(kind, OptionKind(kind).label, value, _ratio(value, total))
        for kind, value in sorted(by_kind.items(), key=lambda item: (-item[1], item[0]))
    ]
    invested = sum((h.cost for h in holdings), ZERO)
    credits = [c for h in holdings for c in h.credits.all()]
    income = sum((h.income or ZERO for h in holdings), ZERO) + sum((c.gross for c in credits), ZERO)
    tax = sum((h.tax_withheld_up_front + (h.maturity_tax or ZERO) for h in holdings), ZERO) + sum(
        (c.tax for c in credits), ZERO
    )
    horizon = on + timedelta(days=UPCOMING_DAYS)
    return Portfolio(
        currency=chama.currency,
        as_of=on,
        holdings=active,
        total_value=total,
        allocation=allocation,
        diversified=bool(allocation) and all(a.value <= total * MAX_SHARE for a in allocation),
        invested=invested,
        income=income,
        tax=tax,
        roi=_ratio(income, invested),
        roi_net=_ratio(income - tax, invested),
        ytd_return=time_weighted_return(holdings, start=on.replace(month=1, day=1), end=on),
        upcoming_maturities=[
            h for h in active if h.matures_on is not None and h.matures_on <= horizon
        ],
    )


def expected_proceeds(holding: Holding) -> Decimal | None:
    """What an active holding should pay at maturity by our formula (None for a fund)."""
    if holding.matures_on is None:
        return None
    if holding.kind in TBILL_KINDS:
        return holding.face
    days = (holding.matures_on - holding.placed_on).days
    gross = math.simple_interest(holding.cost, holding.annual_rate, days, holding.day_basis)
    return holding.cost + gross - math.withholding(gross, holding.withholding_rate)
