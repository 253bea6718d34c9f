"""What a chama may invest in, maintained by the platform's administrators: each option with
its dated rate history, and the dated tax settings every computation reads."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from core.models import BaseModel
from core.money import money_field
from investments.choices import TBILL_TERMS, DayBasis, OptionKind

# An annual rate is a fraction: 0.1575 is 15.75% a year.
RATE_DIGITS = {"max_digits": 7, "decimal_places": 6}
DEFAULT_WITHHOLDING_RATE = Decimal("0.15")


class InvestmentOption(BaseModel):
    """One product a chama can place money in (a T-bill tenor, a fund, a deposit).

    Invariants (constraints): the minimum and the increment are positive; a T-bill's term is
    its tenor (91, 182 or 364 days); a term, when there is one, is positive; a money-market
    fund has none. Rates live in ``OptionRate``, dated.
    """

    kind = models.CharField(max_length=20, choices=OptionKind.choices)
    name = models.CharField(max_length=120)
    provider = models.CharField(max_length=120)
    term_days = models.PositiveIntegerField(null=True, blank=True)
    minimum = money_field(help_text="The smallest amount (T-bills: face value) placed.")
    increment = money_field(help_text="Above the minimum, amounts go up in these steps.")
    receiving_paybill = models.CharField(max_length=20, blank=True)
    receiving_account = models.CharField(max_length=64, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "provider", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OptionKind.values), name="investments_option_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(minimum__gt=0, increment__gt=0),
                name="investments_option_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(term_days__isnull=True) | Q(term_days__gt=0),
                name="investments_option_term_positive",
            ),
            models.CheckConstraint(
                condition=~Q(kind=OptionKind.MONEY_MARKET) | Q(term_days__isnull=True),
                name="investments_option_fund_has_no_term",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=list(TBILL_TERMS))
                | Q(kind=OptionKind.TBILL_91, term_days=91)
                | Q(kind=OptionKind.TBILL_182, term_days=182)
                | Q(kind=OptionKind.TBILL_364, term_days=364),
                name="investments_option_tbill_term",
            ),
            models.UniqueConstraint(
                fields=["provider", "name"], name="investments_option_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"


class OptionRate(BaseModel):
    """The option's annual rate from ``effective_from`` until the next row's date: the rate on
    a date is the latest one effective on or before it. A fraction above 0 and at most 1
    (constraint); one rate per option per date."""

    option = models.ForeignKey(InvestmentOption, on_delete=models.PROTECT, related_name="rates")
    annual_rate = models.DecimalField(**RATE_DIGITS)
    effective_from = models.DateField()

    class Meta:
        ordering = ["option", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_rate__gt=0, annual_rate__lte=1),
                name="investments_optionrate_rate_range",
            ),
            models.UniqueConstraint(
                fields=["option", "effective_from"], name="investments_optionrate_date_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option.name}: {self.annual_rate:%} from {self.effective_from}"


class TaxSetting(BaseModel):
    """Withholding tax on investment income and the day basis of interest, from
    ``effective_from`` until the next row (KRA's 15% on Actual/365 when Hazina started; a
    data migration seeds it). The rate is a fraction in [0, 1); one row per date."""

    withholding_rate = models.DecimalField(
        max_digits=5, decimal_places=4, default=DEFAULT_WITHHOLDING_RATE
    )
    day_basis = models.PositiveSmallIntegerField(
        choices=DayBasis.choices, default=DayBasis.ACTUAL_365
    )
    effective_from = models.DateField(unique=True)

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withholding_rate__gte=0, withholding_rate__lt=1),
                name="investments_taxsetting_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(day_basis__in=DayBasis.values),
                name="investments_taxsetting_day_basis_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Withholding {self.withholding_rate:%}, {self.day_basis} days, from {self.effective_from}"
