"""Expenses: what the chama spends on running itself (a venue, transport, bank charges...),
recorded by the treasurer with its receipt, approved by the officials' signatures (or by the
members, in a dispute vote) and then paid from a named account."""

from django.db import models
from django.db.models import Q

from core.models import BaseModel
from core.money import money_field
from finance.choices import TransferAccount
from finance.models import JournalEntry
from governance.models.documents import Document
from governance.models.votes import Vote
from groups.approvals import TargetSignatures
from groups.choices import ApprovalKind
from groups.models import Chama, Membership


class ExpenseCategory(models.TextChoices):
    VENUE = "venue", "Venue"
    TRANSPORT = "transport", "Transport"
    REFRESHMENTS = "refreshments", "Refreshments"
    STATIONERY = "stationery", "Stationery"
    BANK_CHARGES = "bank_charges", "Bank charges"
    PROFESSIONAL_FEES = "professional_fees", "Professional fees"
    WELFARE_EVENT = "welfare_event", "Welfare event"
    OTHER = "other", "Other"


class ExpenseStatus(models.TextChoices):
    PENDING = "pending", "Awaiting signatures"
    DISPUTED = "disputed", "Before the members in a dispute vote"
    APPROVED = "approved", "Approved, to be paid"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"


APPROVED_STATUSES = (ExpenseStatus.APPROVED, ExpenseStatus.PAID)


class Expense(BaseModel):
    """An expense of the chama, backed by its receipt (a ``Document`` of kind receipt).

    Life: pending (the officials sign; any rejection rejects) → approved (one entry:
    Dr 5100 operating expenses · Cr 2400 approved expenses payable) → paid (one entry:
    Dr 2400 · Cr the account named at payment). Pending too long above the chair threshold,
    it is disputed: the members' vote (``dispute_vote``, opened once) approves or rejects it.

    Invariants (constraints): the amount is positive; approved and paid expenses, and only
    they, have their approval entry and time; a paid one, and only it, its payment entry, time,
    payer and account; a rejected one, and only it, its time and reason; a disputed one its
    vote; a receipt backs at most one expense that is not rejected.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="expenses")
    category = models.CharField(max_length=20, choices=ExpenseCategory.choices)
    payee = models.CharField(max_length=200)
    amount = money_field()
    description = models.TextField(blank=True, max_length=2000)
    receipt = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=ExpenseStatus.choices, default=ExpenseStatus.PENDING
    )
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=255, blank=True)
    dispute_vote = models.OneToOneField(
        Vote, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_from = models.CharField(max_length=10, choices=TransferAccount.choices, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The officials' signatures on it (groups.approvals), prefetched by the selectors.
    signatures = TargetSignatures(ApprovalKind.EXPENSE)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="governance_expense_amount_positive"
            ),
            models.CheckConstraint(condition=~Q(payee=""), name="governance_expense_payee_named"),
            models.CheckConstraint(
                condition=Q(category__in=ExpenseCategory.values),
                name="governance_expense_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExpenseStatus.values),
                name="governance_expense_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=APPROVED_STATUSES,
                    approved_entry__isnull=False,
                    approved_at__isnull=False,
                )
                | (
                    ~Q(status__in=APPROVED_STATUSES)
                    & Q(approved_entry__isnull=True, approved_at__isnull=True)
                ),
                name="governance_expense_approved_iff_posted",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status=ExpenseStatus.PAID,
                        paid_entry__isnull=False,
                        paid_at__isnull=False,
                        paid_by__isnull=False,
                        paid_from__in=TransferAccount.values,
                    )
                )
                | (
                    ~Q(status=ExpenseStatus.PAID)
                    & Q(
                        paid_entry__isnull=True,
                        paid_at__isnull=True,
                        paid_by__isnull=True,
                        paid_from="",
                    )
                ),
                name="governance_expense_paid_iff_posted",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ExpenseStatus.REJECTED, rejected_at__isnull=False)
                    & ~Q(rejection_reason="")
                )
                | (
                    ~Q(status=ExpenseStatus.REJECTED)
                    & Q(rejected_at__isnull=True, rejection_reason="")
                ),
                name="governance_expense_rejected_iff_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExpenseStatus.DISPUTED) | Q(dispute_vote__isnull=False),
                name="governance_expense_disputed_has_vote",
            ),
            models.UniqueConstraint(
                fields=["receipt"],
                condition=~Q(status=ExpenseStatus.REJECTED),
                name="governance_expense_receipt_backs_one",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="governance_expense_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.payee} {self.amount} ({self.status})"
