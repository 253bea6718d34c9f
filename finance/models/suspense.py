"""Unidentified receipts: money paid to the paybill under an account number that names the
chama but none of its members (DESIGN.md §3.2, 2600)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import BaseModel
from core.money import money_field
from finance.choices import SuspenseStatus
from finance.models.contributions import Contribution
from finance.models.ledger import JournalEntry
from finance.models.loans import LoanRepayment
from groups.models import Chama, Membership


class SuspenseReceipt(BaseModel):
    """Money received for the chama before anyone knows whose it is: booked Dr 1010 paybill,
    Cr 2600 suspense when it arrives, then assigned by an official to one member as a
    contribution or a repayment of their loan, which moves it out of 2600 (Dr 2600).

    One row per M-Pesa receipt in the whole system. ``open`` rows are what 2600 holds; an
    ``assigned`` row names exactly one contribution or repayment and never opens again.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="suspense_receipts")
    amount = money_field()
    receipt = models.CharField(max_length=20, unique=True)
    paid_at = models.DateTimeField()
    account_reference = models.CharField(
        max_length=64, blank=True, help_text="The account number as the payer typed it."
    )
    payer = models.CharField(
        max_length=120, blank=True, help_text="As M-Pesa gave it: a masked phone, a name."
    )
    status = models.CharField(
        max_length=10, choices=SuspenseStatus.choices, default=SuspenseStatus.OPEN
    )
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member it was assigned to.",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    contribution = models.OneToOneField(
        Contribution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suspense_receipt",
    )
    loan_repayment = models.OneToOneField(
        LoanRepayment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suspense_receipt",
    )

    class Meta:
        ordering = ["-paid_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_suspensereceipt_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(
                    status="open",
                    membership__isnull=True,
                    contribution__isnull=True,
                    loan_repayment__isnull=True,
                )
                | Q(status="assigned", membership__isnull=False, contribution__isnull=False)
                & Q(loan_repayment__isnull=True)
                | Q(status="assigned", membership__isnull=False, contribution__isnull=True)
                & Q(loan_repayment__isnull=False),
                name="finance_suspensereceipt_assigned_to_one",
            ),
        ]
        indexes = [
            models.Index(fields=["chama", "status", "-paid_at"], name="finance_suspense_chama"),
        ]

    def __str__(self) -> str:
        return f"Receipt {self.receipt} {self.amount} ({self.status})"
