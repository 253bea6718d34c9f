"""Reads of proposals, and what an amount in an option would earn (the projection a proposal
shows and the free plan's "what it could earn")."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from core.money import ZERO, money
from governance.selectors.constitution import constitution_rules_get
from groups.models import Chama
from investments import math
from investments.choices import TBILL_KINDS
from investments.models import InvestmentOption, InvestmentProposal, OptionRate, TaxSetting
from investments.selectors.idle_cash import idle_cash_compute
from investments.selectors.options import tax_setting_on

# A fund has no term: its projection is a year's interest.
YEAR_DAYS = 365


@dataclass(frozen=True)
class Projection:
    """``amount`` (a T-bill's face, else the principal) in ``option`` at ``annual_rate``:
    ``cost`` leaves the chama's cash; over ``term_days`` it earns ``gross``, less ``tax``."""

    option: InvestmentOption
    amount: Decimal
    cost: Decimal
    annual_rate: Decimal
    term_days: int
    gross: Decimal
    tax: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.tax

    @property
    def net_per_year(self) -> Decimal:
        """The net return scaled to a year: how options of different terms are compared."""
        return self.net * YEAR_DAYS / self.term_days


def projection_of(
    option: InvestmentOption, amount: Decimal, rate: Decimal, tax: TaxSetting
) -> Projection:
    """What ``amount`` earns in ``option`` (investments.math): a T-bill's discount, with the
    withholding tax paid up front with the price; any other option's simple interest over its
    term (a fund's, a year), with the tax withheld from it."""
    term = option.term_days or YEAR_DAYS
    if option.kind in TBILL_KINDS:
        price = math.tbill_price(amount, rate, term, tax.day_basis)
        gross = math.tbill_discount(amount, price)
        withheld = math.withholding(gross, tax.withholding_rate)
        return Projection(option, amount, price + withheld, rate, term, gross, withheld)
    gross = math.simple_interest(amount, rate, term, tax.day_basis)
    withheld = math.withholding(gross, tax.withholding_rate)
    return Projection(option, amount, amount, rate, term, gross, withheld)


def _largest_fit(
    option: InvestmentOption, rate: Decimal, tax: TaxSetting, idle: Decimal
) -> Projection | None:
    """The largest amount in the option's steps (minimum, then increments) whose cost fits in
    ``idle``; None when not even the minimum does."""
    if option.kind in TBILL_KINDS:
        # The cost is below the face: start from the face the idle cash would buy at the
        # discount, and step down until the price and its tax fit.
        reach = idle * (1 + rate * (option.term_days or YEAR_DAYS) / tax.day_basis)
    else:
        reach = idle
    if reach < option.minimum:
        return None
    steps = int((reach - option.minimum) // option.increment)
    while steps >= 0:
        found = projection_of(option, option.minimum + steps * option.increment, rate, tax)
        if found.cost <= idle:
            return found
        steps -= 1
    return None


def option_rates_on(options: Iterable[InvestmentOption], on: date) -> dict[UUID, Decimal]:
    """Each option's annual rate on ``on`` (the latest effective by then), in one query."""
    rates: dict[UUID, Decimal] = {}
    for option_id, rate in (
        OptionRate.objects.filter(option__in=list(options), effective_from__lte=on)
        .order_by("option_id", "-effective_from")
        .values_list("option_id", "annual_rate")
    ):
        rates.setdefault(option_id, rate)
    return rates


def best_projection(
    options: Iterable[InvestmentOption],
    rates: dict[UUID, Decimal],
    tax: TaxSetting | None,
    idle: Decimal,
) -> Projection | None:
    """The eligible option that earns the most a year, net of tax, on what fits in ``idle``
    (ties: the higher rate, then the option's name); None when none fits."""
    if tax is None or idle <= ZERO:
        return None
    fits = [
        found
        for option in options
        if option.pk in rates
        and (found := _largest_fit(option, rates[option.pk], tax, money(idle))) is not None
    ]
    if not fits:
        return None
    return max(fits, key=lambda p: (p.net_per_year, p.annual_rate, p.option.name))


def proposal_list(*, chama: Chama) -> QuerySet[InvestmentProposal]:
    return InvestmentProposal.objects.filter(chama=chama).select_related(
        "option", "created_by__user", "approved_by__user", "executed_by__user", "vote"
    )


@dataclass(frozen=True)
class IdleCashReport:
    """A chama's idle cash today with what it could earn: what every plan sees (the free plan
    gets no proposals, only this)."""

    on: date
    cash_like: Decimal
    floor_30d: Decimal
    kept: dict[str, Decimal]
    kept_total: Decimal
    welfare_source: str
    idle: Decimal
    proposal_minimum: Decimal
    could_earn: Projection | None


def idle_cash_report_get(*, chama: Chama) -> IdleCashReport:
    on = timezone.localdate()
    rules = constitution_rules_get(chama=chama)
    found = idle_cash_compute([chama], on=on, rules={chama.pk: rules})[chama.pk]
    options = list(InvestmentOption.objects.filter(is_active=True))
    best = best_projection(options, option_rates_on(options, on), tax_setting_on(on), found.idle)
    return IdleCashReport(
        on=on,
        cash_like=found.cash_like,
        floor_30d=found.floor_30d,
        kept=found.kept,
        kept_total=found.kept_total,
        welfare_source=found.welfare_source,
        idle=found.idle,
        proposal_minimum=rules.investments.proposal_minimum,
        could_earn=best,
    )
