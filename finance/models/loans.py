"""Loans: loans, guarantees, the stored schedule, penalties and
repayments (DESIGN.md §3.4). Amounts owed are derived from the installments; every change of
money posts to the ledger through the loan services."""

from decimal import Decimal

from django.conf import settings
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
    RatePeriod,
)
from finance.models.ledger import JournalEntry
from finance.models.loan_policy import percent_field, percents_0_to_100, rate_field
from groups.approvals import TargetSignatures
from groups.choices import ApprovalKind
from groups.models import Chama, Membership, credit_score_field


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

    # The officials' signatures on it (groups.approvals), prefetched by the selectors.
    signatures = TargetSignatures(ApprovalKind.LOAN)

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
    """A member's promise to cover part of a loan from their savings if it defaults.

    ``recovered`` is what recoveries took from the guarantor's savings, never more than the
    guarantee in all; ``refunded`` is what the borrower's later repayments have given back.
    Both move only under the loan's lock; ``recovered - refunded`` is what the borrower still
    owes the guarantor, and the next repayment pays it first."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="guarantees")
    guarantor = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="guarantees")
    amount = money_field()
    status = models.CharField(
        max_length=10, choices=GuaranteeStatus.choices, default=GuaranteeStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    recovered = money_field(default=0, help_text="Taken from the guarantor's savings.")
    refunded = money_field(default=0, help_text="Given back from the borrower's repayments.")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "guarantor"], name="finance_guarantee_once"),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_guarantee_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(refunded__gte=0) & cents_at_most("refunded", F("recovered")),
                name="finance_guarantee_refunded_within_recovered",
            ),
            models.CheckConstraint(
                condition=Q(recovered__gte=0) & cents_at_most("recovered", F("amount")),
                name="finance_guarantee_recovered_within_amount",
            ),
        ]

    @property
    def owed(self) -> Decimal:
        """What the borrower still owes the guarantor."""
        return self.recovered - self.refunded

    def __str__(self) -> str:
        return f"Guarantee {self.amount} by {self.guarantor_id} ({self.status})"


class Installment(BaseModel):
    """One scheduled repayment. ``paid_*``, ``penalty_charged`` and ``interest_waived`` move
    only in the loan services, under the borrower's lock. ``interest_waived`` is the scheduled
    interest let go when the loan was paid off early: what the installment owes is its
    ``total`` + penalties - the waiver, so ``principal``, ``interest`` and ``total`` stay the
    schedule as approved.

    Principal leaves an installment three ways: paid by the borrower (``paid_principal``),
    taken from the guarantors (``principal_recovered``) or written off
    (``principal_written_off``); Σ over a loan's installments of ``unpaid_principal`` is its
    loans receivable (1100-M). ``penalty_written_off`` is the penalty a write-off took off
    fines receivable (1120-M)."""

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
    principal_recovered = money_field(default=0)
    principal_written_off = money_field(default=0)
    penalty_written_off = money_field(default=0)
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
            models.CheckConstraint(
                condition=Q(
                    principal_recovered__gte=0,
                    principal_written_off__gte=0,
                    penalty_written_off__gte=0,
                )
                & cents_at_most(
                    "principal_recovered",
                    F("principal") - F("paid_principal") - F("principal_written_off"),
                )
                & cents_at_most("penalty_written_off", F("penalty_charged") - F("paid_penalty")),
                name="finance_installment_settled_within_owed",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="finance_installment_overdue")]

    def __str__(self) -> str:
        return f"Installment {self.number} of {self.loan_id}"

    @property
    def paid(self) -> Decimal:
        return self.paid_principal + self.paid_interest + self.paid_penalty + self.paid_fees

    @property
    def unpaid_principal(self) -> Decimal:
        return (
            self.principal
            - self.paid_principal
            - self.principal_recovered
            - self.principal_written_off
        )

    @property
    def unpaid_penalty(self) -> Decimal:
        return self.penalty_charged - self.paid_penalty - self.penalty_written_off


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
    refunded = money_field(
        default=0, help_text="Given back to the guarantors first, for what recovery took."
    )
    recovered = money_field(
        default=0, help_text="Paid on a written-off loan: bad debts recovered income."
    )

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
            models.CheckConstraint(
                condition=Q(excess__gte=0, refunded__gte=0, recovered__gte=0)
                & cents_at_most("refunded", F("amount") - F("excess") - F("recovered")),
                name="finance_loanrepayment_parts_within_amount",
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
