"""A chama's lending policy (DESIGN.md §3.4) and the rate and percent fields its loans share."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from core.models import BaseModel
from core.money import money_field
from finance.choices import EarlyRepayment, InterestMethod, PenaltyType, RatePeriod
from groups.models import CREDIT_SCORE_MAX, Chama, credit_score_field


def rate_field(**kwargs: object) -> "models.DecimalField[Decimal, Decimal]":
    """A rate as a decimal fraction (0.10 is 10%), its period stated beside it."""
    return models.DecimalField(max_digits=9, decimal_places=6, **kwargs)  # type: ignore[arg-type]


def percent_field(help_text: str = "") -> "models.DecimalField[Decimal, Decimal]":
    """A percent from 0 to 100 as written (12.5 is 12.5%), two decimal places."""
    return models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=help_text,
    )


def percents_0_to_100(table: str) -> models.CheckConstraint:
    """The early-repayment rebate and the credit-score discount, which a policy sets and a
    loan keeps, are percents from 0 to 100."""
    return models.CheckConstraint(
        condition=Q(
            early_repayment_rebate_percent__gte=0,
            early_repayment_rebate_percent__lte=100,
            credit_discount_percent__gte=0,
            credit_discount_percent__lte=100,
        ),
        name=f"finance_{table}_percents_0_to_100",
    )


class LoanPolicy(BaseModel):
    """How a chama lends. One per chama; loans copy the terms they were approved on."""

    chama = models.OneToOneField(Chama, on_delete=models.PROTECT, related_name="loan_policy")
    interest_method = models.CharField(
        max_length=20, choices=InterestMethod.choices, default=InterestMethod.FLAT
    )
    interest_rate = rate_field(default=Decimal("0.10"))
    interest_rate_period = models.CharField(
        max_length=5, choices=RatePeriod.choices, default=RatePeriod.MONTH
    )
    # Empty: every loan is at ``interest_rate``. Set: an application may name a rate from
    # ``interest_rate_min`` to ``interest_rate_max`` (``interest_rate`` is the default).
    interest_rate_min = rate_field(
        null=True, blank=True, help_text="With the maximum: the lowest rate a loan may name."
    )
    interest_rate_max = rate_field(
        null=True, blank=True, help_text="With the minimum: the highest rate a loan may name."
    )
    max_term_months = models.PositiveSmallIntegerField(default=12)
    max_savings_multiple = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.00"),
        help_text="A loan may be at most this many times the member's savings.",
    )
    guarantors_required = models.PositiveSmallIntegerField(default=0)
    guarantee_cover = rate_field(
        default=Decimal("0"), help_text="Share of the principal accepted guarantees must cover."
    )
    processing_fee_rate = rate_field(
        default=Decimal("0"), help_text="Share of the principal kept as a fee at disbursement."
    )
    penalty_type = models.CharField(
        max_length=10, choices=PenaltyType.choices, default=PenaltyType.PERCENT
    )
    penalty_amount = money_field(default=0, help_text="The flat penalty per period.")
    penalty_rate = rate_field(default=Decimal("0.05"), help_text="Percent penalty per period.")
    penalty_period_days = models.PositiveSmallIntegerField(default=30)
    grace_days = models.PositiveSmallIntegerField(default=0)
    early_repayment = models.CharField(
        max_length=20,
        choices=EarlyRepayment.choices,
        default=EarlyRepayment.FULL_INTEREST,
        help_text="What a loan paid off early owes in interest.",
    )
    early_repayment_rebate_percent = percent_field(
        help_text="Under the rebate rule: the percent of the interest not yet due that is let go."
    )
    min_principal = money_field(
        default=Decimal("100.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="The smallest loan the chama makes.",
    )
    credit_discount_min_score = credit_score_field(
        help_text="Members with at least this credit score (0-100) pay a lower rate; "
        "empty: no discount."
    )
    credit_discount_percent = percent_field(
        help_text="How much lower: this percent of the rate (20 makes 10% a month 8%)."
    )
    default_after_days = models.PositiveSmallIntegerField(default=90)

    class Meta:
        verbose_name_plural = "loan policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(max_term_months__gte=1, max_term_months__lte=60),
                name="finance_loanpolicy_term_1_to_60",
            ),
            models.CheckConstraint(
                condition=Q(interest_rate__gte=0, penalty_rate__gte=0, processing_fee_rate__gte=0),
                name="finance_loanpolicy_rates_not_negative",
            ),
            percents_0_to_100("loanpolicy"),
            models.CheckConstraint(
                condition=Q(interest_rate_min__isnull=True, interest_rate_max__isnull=True)
                | Q(
                    interest_rate_min__gte=0,
                    interest_rate_min__lte=F("interest_rate"),
                    interest_rate_max__gte=F("interest_rate"),
                ),
                name="finance_loanpolicy_rate_range_holds_the_rate",
            ),
            models.CheckConstraint(
                condition=Q(credit_discount_min_score__isnull=True)
                | Q(credit_discount_min_score__lte=CREDIT_SCORE_MAX),
                name="finance_loanpolicy_discount_score_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(min_principal__gt=0), name="finance_loanpolicy_min_principal_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Loan policy of {self.chama_id}"
