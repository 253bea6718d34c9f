"""Contributions and how each was applied to dues."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import BaseModel
from core.money import money_field
from finance.choices import ContributionStatus, PaymentMethod
from finance.models.cycles import Due
from finance.models.ledger import JournalEntry
from groups.models import Chama, Membership


class Contribution(BaseModel):
    """Money a member paid in. Only a confirmed contribution is in the ledger and its dues.

    An M-Pesa receipt is recorded once in the whole system (unique here and, through the
    entry's external reference, across every kind of ledger entry).
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="contributions")
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="contributions"
    )
    amount = money_field()
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(max_length=10, choices=ContributionStatus.choices)
    mpesa_receipt = models.CharField(max_length=20, null=True, blank=True)
    reference = models.CharField(
        max_length=64, blank=True, help_text="Bank or cash slip reference."
    )
    paid_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="contribution"
    )
    reversal_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversal_reason = models.CharField(max_length=255, blank=True)
    # A client's Idempotency-Key: the same key with the same request returns this contribution.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-paid_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mpesa_receipt"],
                condition=Q(mpesa_receipt__isnull=False),
                name="finance_contribution_receipt_unique",
            ),
            models.UniqueConstraint(
                fields=["chama", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="finance_contribution_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_contribution_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "reversed"], entry__isnull=False)
                | Q(status__in=["pending", "failed"], entry__isnull=True),
                name="finance_contribution_posted_iff_confirmed",
            ),
        ]
        indexes = [
            models.Index(fields=["chama", "-paid_at"], name="finance_contrib_chama_paid"),
            models.Index(fields=["membership", "-paid_at"], name="finance_contrib_member_paid"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.member_code} {self.amount} {self.status}"


class DueAllocation(models.Model):
    """The part of one ledger entry (a contribution, or member credit applied later) that
    settled one due, split as the due is. Reversing the entry undoes exactly these parts."""

    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="allocations")
    due = models.ForeignKey(Due, on_delete=models.PROTECT, related_name="allocations")
    rotation = money_field(default=0)
    savings = money_field(default=0)
    welfare = money_field(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "due"], name="finance_dueallocation_once"),
            models.CheckConstraint(
                condition=Q(rotation__gte=0, savings__gte=0, welfare__gte=0),
                name="finance_dueallocation_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} to due {self.due_id}"

    @property
    def amount(self) -> Decimal:
        return self.rotation + self.savings + self.welfare
