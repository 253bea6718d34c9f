"""Loans: the chama's lending policy, loans, guarantees, the stored schedule, penalties and
repayments (DESIGN.md §3.4). Amounts owed are derived from the installments; every change of
money posts to the ledger through the loan services."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from core.models import BaseModel
from core.money import cents_at_most, cents_equal, money_field
from finance.choices import (
    LIVE_LOAN_STATUSES,
    EarlyRepayment,
    GuaranteeStatus,
    InstallmentStatus,
    InterestMethod,
    LoanStatus,
    PaymentMethod,
    PenaltyType,
    RatePeriod,
)
from finance.models.ledger import JournalEntry
from groups.models import CREDIT_SCORE_MAX, Chama, Membership, credit_score_field


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


class Loan(BaseModel):
    """A member's loan. Its terms are fixed when applied; its schedule is stored on approval.

    Disbursed by hand (cash, bank) it goes from approved to active at once; through a
    two-phase gateway it is ``disbursed`` (in flight) until the provider settles or fails it.

    ``interest_rate`` is the rate the schedule charges: ``base_interest_rate`` less the
    borrower's credit-score discount (``credit_discount_percent`` of it, for the
    ``credit_score`` they had), so a stored schedule can always be worked again."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="loans")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="loans")
    principal = money_field()
    interest_rate = rate_field()
    interest_rate_period = models.CharField(max_length=5, choices=RatePeriod.choices)
    interest_method = models.CharField(max_length=20, choices=InterestMethod.choices)
    term_months = models.PositiveSmallIntegerField()
    base_interest_rate = rate_field(help_text="The rate before the credit-score discount.")
    credit_score = credit_score_field(help_text="The borrower's credit score when they applied.")
    credit_discount_percent = percent_field(help_text="The credit-score discount applied.")
    early_repayment = models.CharField(
        max_length=20, choices=EarlyRepayment.choices, default=EarlyRepayment.FULL_INTEREST
    )
    early_repayment_rebate_percent = percent_field()
    processing_fee = money_field(default=0)
    purpose = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=12, choices=LoanStatus.choices, default=LoanStatus.APPLIED)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=255, blank=True)
    disbursed_at = models.DateTimeField(null=True, blank=True)
    disbursement_method = models.CharField(max_length=10, choices=PaymentMethod.choices, blank=True)
    disbursement_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A two-phase (M-Pesa B2C) disbursement: our id for the provider (its idempotency key),
    # fresh for each attempt; the entry that sent the money into 1090; the provider's receipt
    # once it confirms; why the last attempt failed.
    disbursement_reference = models.CharField(max_length=64, null=True, blank=True, unique=True)
    disbursement_sent_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disbursement_receipt = models.CharField(max_length=20, null=True, blank=True, unique=True)
    disbursement_failure_reason = models.CharField(max_length=255, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["chama", "membership"],
                condition=Q(status__in=LIVE_LOAN_STATUSES),
                name="finance_loan_one_live_per_member",
            ),
            models.CheckConstraint(
                condition=Q(principal__gt=0), name="finance_loan_principal_positive"
            ),
            models.CheckConstraint(
                condition=Q(term_months__gte=1, term_months__lte=60),
                name="finance_loan_term_1_to_60",
            ),
            models.CheckConstraint(
                condition=Q(interest_rate_period__in=["month", "year"]),
                name="finance_loan_rate_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("applied_by")),
                name="finance_loan_maker_is_not_checker",
            ),
            # Only a two-phase disbursement is ever "disbursed": money in flight, with the
            # reference the provider will answer about.
            models.CheckConstraint(
                condition=~Q(status="disbursed")
                | Q(disbursement_reference__isnull=False, disbursement_sent_entry__isnull=False),
                name="finance_loan_in_flight_has_transfer",
            ),
            percents_0_to_100("loan"),
            models.CheckConstraint(
                condition=Q(interest_rate__gte=0, interest_rate__lte=F("base_interest_rate")),
                name="finance_loan_discount_lowers_the_rate",
            ),
        ]

    def __str__(self) -> str:
        return f"Loan {self.principal} to {self.membership_id} ({self.status})"


class Guarantee(BaseModel):
    """A member's promise to cover part of a loan from their savings if it defaults."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="guarantees")
    guarantor = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="guarantees")
    amount = money_field()
    status = models.CharField(
        max_length=10, choices=GuaranteeStatus.choices, default=GuaranteeStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "guarantor"], name="finance_guarantee_once"),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_guarantee_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Guarantee {self.amount} by {self.guarantor_id} ({self.status})"


class Installment(BaseModel):
    """One scheduled repayment. ``paid_*``, ``penalty_charged`` and ``interest_waived`` move
    only in the loan services, under the borrower's lock. ``interest_waived`` is the scheduled
    interest let go when the loan was paid off early: what the installment owes is its
    ``total`` + penalties - the waiver, so ``principal``, ``interest`` and ``total`` stay the
    schedule as approved."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="installments")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    principal = money_field()
    interest = money_field()
    total = money_field()
    penalty_charged = money_field(default=0)
    interest_waived = money_field(default=0)
    paid_penalty = money_field(default=0)
    paid_fees = money_field(default=0)
    paid_interest = money_field(default=0)
    paid_principal = money_field(default=0)
    status = models.CharField(
        max_length=10, choices=InstallmentStatus.choices, default=InstallmentStatus.PENDING
    )

    class Meta:
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "number"], name="finance_installment_number_unique"
            ),
            models.CheckConstraint(
                condition=cents_equal("total", F("principal") + F("interest")),
                name="finance_installment_total",
            ),
            models.CheckConstraint(
                condition=Q(
                    paid_principal__lte=F("principal"),
                    paid_interest__lte=F("interest"),
                    paid_penalty__lte=F("penalty_charged"),
                    paid_principal__gte=0,
                    paid_interest__gte=0,
                    paid_penalty__gte=0,
                ),
                name="finance_installment_paid_within_owed",
            ),
            models.CheckConstraint(
                condition=Q(interest_waived__gte=0)
                & cents_at_most("interest_waived", F("interest") - F("paid_interest")),
                name="finance_installment_waiver_within_interest",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="finance_installment_overdue")]

    def __str__(self) -> str:
        return f"Installment {self.number} of {self.loan_id}"

    @property
    def paid(self) -> Decimal:
        return self.paid_principal + self.paid_interest + self.paid_penalty + self.paid_fees


class LoanPenalty(models.Model):
    """A late-installment penalty: at most one per (installment, penalty period)."""

    id = models.BigAutoField(primary_key=True)
    installment = models.ForeignKey(Installment, on_delete=models.PROTECT, related_name="penalties")
    period = models.PositiveSmallIntegerField(help_text="1 for the first period overdue, …")
    amount = money_field()
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["installment", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["installment", "period"], name="finance_loanpenalty_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_loanpenalty_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Penalty {self.amount} on {self.installment_id} period {self.period}"


class LoanRepayment(BaseModel):
    """Money paid towards a loan, allocated oldest installment first."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    amount = money_field()
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    mpesa_receipt = models.CharField(max_length=20, null=True, blank=True)
    paid_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")
    excess = money_field(default=0, help_text="Paid beyond what was owed: member credit.")

    class Meta:
        ordering = ["-paid_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mpesa_receipt"],
                condition=Q(mpesa_receipt__isnull=False),
                name="finance_loanrepayment_receipt_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_loanrepayment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Repayment {self.amount} on {self.loan_id}"


class RepaymentAllocation(models.Model):
    id = models.BigAutoField(primary_key=True)
    repayment = models.ForeignKey(
        LoanRepayment, on_delete=models.PROTECT, related_name="allocations"
    )
    installment = models.ForeignKey(Installment, on_delete=models.PROTECT, related_name="+")
    penalty = money_field(default=0)
    fees = money_field(default=0)
    interest = money_field(default=0)
    principal = money_field(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["repayment", "installment"], name="finance_repaymentallocation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Allocation to {self.installment_id}"
