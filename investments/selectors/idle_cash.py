"""Idle cash: what a chama holds in cash-like accounts that it has not needed for 30 days and
does not have to keep, computed for any number of chamas in a constant number of queries.

    idle = max(0, floor_30d - kept)

``floor_30d`` is the lowest daily closing balance of the cash-like accounts (1010 paybill,
1020 bank, 1030 cash) over the 30 days ending on ``on``: money that stayed the whole month.
``kept`` is what the chama must keep anyway: the pots of its next two unpaid rounds, loans
approved and not yet disbursed, expenses approved and not yet paid (the 2400 balance), the
welfare buffer and the constitution's investment reserve. The welfare buffer is the welfare
forecast's 90-day buffer when the claim history is long enough, else the constitution's
(``finance.welfare_forecast``); ``welfare_source`` says which.

Queries, however many chamas: the chamas' cash-like and 2400 accounts (1), their cash-like
postings of the window grouped by chama and day (1), the next two unpaid rounds' pots (1),
approved loans (1), the constitutions (2, ``constitution_rules_map``) and the welfare
forecast's granted claims and welfare policies (2, ``welfare_forecast_map``).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from core.money import ZERO, money
from finance import chart
from finance.choices import LoanStatus, RoundStatus, WelfareForecastSource
from finance.models import Due, LedgerAccount, Loan, Posting, Round
from finance.selectors import MONEY_OUTPUT, posted_balance_expression
from finance.welfare_history import welfare_forecast_map
from governance.constitution_rules import Rules
from governance.selectors.constitution import constitution_rules_map
from groups.models import Chama

WINDOW_DAYS = 30
CASH_LIKE_CODES = (chart.MPESA_PAYBILL, chart.BANK, chart.CASH)
# The pots of this many unpaid rounds are kept back: the next meeting's and the one after.
ROUNDS_KEPT = 2


class Kept:
    """The names of what ``kept`` holds, as the API and the snapshots show them."""

    POTS = "pots"
    APPROVED_LOANS = "approved_loans"
    APPROVED_EXPENSES = "approved_expenses"
    WELFARE_BUFFER = "welfare_buffer"
    RESERVE = "reserve"
    ALL = (POTS, APPROVED_LOANS, APPROVED_EXPENSES, WELFARE_BUFFER, RESERVE)


@dataclass(frozen=True)
class IdleCash:
    """One chama's idle cash on ``on``. ``cash_like`` is the closing balance that day;
    ``welfare_source``: where the welfare buffer kept came from (history, constitution, none)."""

    on: date
    cash_like: Decimal
    floor_30d: Decimal
    kept: dict[str, Decimal] = field(default_factory=dict)
    welfare_source: str = WelfareForecastSource.NONE

    @property
    def kept_total(self) -> Decimal:
        return sum(self.kept.values(), ZERO)

    @property
    def idle(self) -> Decimal:
        return max(ZERO, self.floor_30d - self.kept_total)


def _floor(
    current: Decimal, daily_net: Mapping[date, Decimal], on: date
) -> tuple[Decimal, Decimal]:
    """The closing balance on ``on`` and the lowest closing balance of the window.

    Only today's balance is stored (the accounts' balance cache); a past day's closing balance
    is today's minus the net movement of every later day. So walking back from today over
    the days that moved: closing(on) = current - Σ net after ``on`` (entries dated ahead),
    then closing(d - 1) = closing(d) - net(d). Days without movement close as the day after
    them, so the minimum over the days that moved (and ``on`` itself) is the window's."""
    start = on - timedelta(days=WINDOW_DAYS - 1)
    balance = current - sum((net for day, net in daily_net.items() if day > on), ZERO)
    closing_on = floor = balance
    for day in sorted((d for d in daily_net if d <= on), reverse=True):
        balance -= daily_net[day]  # now the closing balance of the day before ``day``
        if day - timedelta(days=1) >= start:
            floor = min(floor, balance)
    return money(closing_on), money(floor)


def _accounts(chama_ids: list[UUID]) -> QuerySet[LedgerAccount]:
    return LedgerAccount.objects.filter(
        chama_id__in=chama_ids,
        code__in=(*CASH_LIKE_CODES, chart.EXPENSES_PAYABLE),
        member__isnull=True,
        round__isnull=True,
    )


def _daily_net(account_ids: list[UUID], since: date) -> dict[UUID, dict[date, Decimal]]:
    """Σ debits - Σ credits of the cash-like postings dated after ``since``, by chama and day."""
    rows = (
        Posting.objects.filter(account_id__in=account_ids, entry__effective_date__gt=since)
        .values_list("account__chama_id", "entry__effective_date")
        .annotate(net=posted_balance_expression(prefix=""))
        .order_by()
    )
    by_chama: dict[UUID, dict[date, Decimal]] = defaultdict(dict)
    for chama_id, day, net in rows:
        by_chama[chama_id][day] = money(net)
    return by_chama


def _pots(chama_ids: list[UUID]) -> dict[UUID, Decimal]:
    """The expected pots (Σ of the dues' rotation parts) of each chama's next unpaid rounds."""
    pot = (
        Due.objects.filter(round=OuterRef("pk"))
        .order_by()
        .values("round")
        .annotate(total=Sum("rotation_amount"))
        .values("total")
    )
    rows = (
        Round.objects.filter(chama_id__in=chama_ids)
        .exclude(status=RoundStatus.PAID)
        .annotate(
            pot=Coalesce(Subquery(pot), Value(ZERO), output_field=MONEY_OUTPUT),
            rank=Window(
                RowNumber(),
                partition_by=[F("chama_id")],
                order_by=[F("meeting_date").asc(), F("number").asc()],
            ),
        )
        .filter(rank__lte=ROUNDS_KEPT)
        .values_list("chama_id", "pot")
    )
    pots: dict[UUID, Decimal] = defaultdict(lambda: ZERO)
    for chama_id, amount in rows:
        pots[chama_id] += money(amount)
    return pots


def _approved_loans(chama_ids: list[UUID]) -> dict[UUID, Decimal]:
    rows = (
        Loan.objects.filter(chama_id__in=chama_ids, status=LoanStatus.APPROVED)
        .values("chama_id")
        .annotate(total=Sum("principal"))
        .values_list("chama_id", "total")
        .order_by()
    )
    return {chama_id: money(total) for chama_id, total in rows}


def idle_cash_compute(
    chamas: Iterable[Chama], *, on: date, rules: Mapping[UUID, Rules] | None = None
) -> dict[UUID, IdleCash]:
    """Each chama's idle cash on ``on``, by chama id, set-based (see the module docstring).
    What must be kept is read as it stands now; ``rules``: the constitutions, when the caller
    has read them already (``constitution_rules_map``)."""
    loaded = list(chamas)
    if not loaded:
        return {}
    ids = [chama.pk for chama in loaded]
    cash_ids: list[UUID] = []
    current: dict[UUID, Decimal] = defaultdict(lambda: ZERO)
    expenses: dict[UUID, Decimal] = {}
    for account in _accounts(ids).only("id", "chama_id", "code", "cached_balance"):
        if account.code == chart.EXPENSES_PAYABLE:
            expenses[account.chama_id] = -account.cached_balance  # a liability: credit-normal
        else:
            cash_ids.append(account.pk)
            current[account.chama_id] += account.cached_balance
    daily = _daily_net(cash_ids, since=on - timedelta(days=WINDOW_DAYS))
    pots, loans = _pots(ids), _approved_loans(ids)
    rules = rules if rules is not None else constitution_rules_map(chamas=loaded)
    welfare = welfare_forecast_map(loaded, on=on)
    result = {}
    for chama in loaded:
        cash_like, floor = _floor(current[chama.pk], daily.get(chama.pk, {}), on)
        rule, forecast = rules[chama.pk], welfare[chama.pk]
        kept = {
            Kept.POTS: pots[chama.pk],
            Kept.APPROVED_LOANS: loans.get(chama.pk, ZERO),
            Kept.APPROVED_EXPENSES: money(expenses.get(chama.pk, ZERO)),
            Kept.WELFARE_BUFFER: forecast.suggested_buffer,
            Kept.RESERVE: money(rule.investments.reserve),
        }
        result[chama.pk] = IdleCash(
            on=on,
            cash_like=cash_like,
            floor_30d=floor,
            kept=kept,
            welfare_source=forecast.source,
        )
    return result


def idle_cash_for(chama: Chama, *, on: date | None = None) -> IdleCash:
    """One chama's idle cash (today unless ``on``): ``idle_cash_compute`` for one."""
    on = on or timezone.localdate()
    return idle_cash_compute([chama], on=on)[chama.pk]
