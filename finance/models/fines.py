"""Fines: money a member owes the chama for breaking its rules, issued by an official or by the
constitution's rules, then paid or waived (DESIGN §3.2).

The ledger (1120-M is shared with late loan penalties: the entry types and these rows tell
them apart): issued ``Dr 1120-M · Cr 4200``; paid ``Dr <cash account> · Cr 1120-M`` (or
``Dr 2100-M`` from the member's savings); waived ``Dr 4200 · Cr 1120-M`` for what was unpaid."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import BaseModel
from core.money import cents_at_most, cents_equal, money_field
from finance.choices import FineKind, FinePaymentMethod, FineStatus
from finance.models.ledger import JournalEntry
from groups.models import Chama, Membership

RULE_PERIOD_MAX = 40


class Fine(BaseModel):
    """One fine on one member. ``paid_amount`` and ``waived_amount`` only grow, and never
    together exceed ``amount``; the status follows them (issued → partial → paid, or waived
    once, which ends it: the unpaid part is written back out of income).

    A rule fine (any kind but manual) names its period (the due it is late for, the meeting
    missed...): the database holds one per (member, kind, period), so a job that runs twice
    fines nobody twice."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="fines")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="fines")
    kind = models.CharField(max_length=20, choices=FineKind.choices, default=FineKind.MANUAL)
    period = models.CharField(
        max_length=RULE_PERIOD_MAX,
        blank=True,
        help_text="A rule fine's period: the due's id, a month (2027-03), a meeting's id.",
    )
    amount = money_field()
    reason = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=FineStatus.choices, default=FineStatus.ISSUED)
    paid_amount = money_field(default=0)
    waived_amount = money_field(default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a fine issued by a rule.",
    )
    issued_entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    waived_at = models.DateTimeField(null=True, blank=True)
    waive_reason = models.CharField(max_length=255, blank=True)
    waive_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "kind", "period"],
                condition=~Q(kind=FineKind.MANUAL),
                name="finance_fine_once_per_rule_period",
            ),
            models.CheckConstraint(
                condition=Q(kind=FineKind.MANUAL, period="")
                | (~Q(kind=FineKind.MANUAL) & ~Q(period="")),
                name="finance_fine_rule_names_period",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0, paid_amount__gte=0, waived_amount__gte=0)
                & cents_at_most("paid_amount", F("amount") - F("waived_amount")),
                name="finance_fine_parts_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(status=FineStatus.ISSUED, paid_amount=0, waived_amount=0)
                | Q(status=FineStatus.PARTIAL, paid_amount__gt=0, waived_amount=0)
                | (
                    Q(status=FineStatus.PAID, waived_amount=0)
                    & cents_equal("paid_amount", F("amount"))
                )
                | (
                    Q(status=FineStatus.WAIVED, waived_amount__gt=0, waive_entry__isnull=False)
                    & ~Q(waive_reason="")
                    & cents_equal("waived_amount", F("amount") - F("paid_amount"))
                ),
                name="finance_fine_status_follows_amounts",
            ),
        ]
        indexes = [
            models.Index(fields=["chama", "status"], name="finance_fine_chama_status"),
            models.Index(fields=["membership", "status"], name="finance_fine_member_status"),
        ]

    def __str__(self) -> str:
        return f"Fine {self.amount} on {self.membership_id} ({self.status})"

    @property
    def unpaid(self) -> Decimal:
        return self.amount - self.paid_amount - self.waived_amount


class FinePayment(BaseModel):
    """Money paid towards a member's fines, oldest first (its allocations say which); any
    excess is member credit (2500-M). From savings it moves no cash and has no excess."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="fine_payments"
    )
    amount = money_field()
    method = models.CharField(max_length=10, choices=FinePaymentMethod.choices)
    mpesa_receipt = models.CharField(max_length=20, null=True, blank=True)
    paid_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")
    excess = money_field(default=0, help_text="Paid beyond the fines owed: member credit.")

    class Meta:
        ordering = ["-paid_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mpesa_receipt"],
                condition=Q(mpesa_receipt__isnull=False),
                name="finance_finepayment_receipt_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0, excess__gte=0) & cents_at_most("excess", F("amount")),
                name="finance_finepayment_excess_within_amount",
            ),
            models.CheckConstraint(
                condition=~Q(method=FinePaymentMethod.SAVINGS)
                | Q(excess=0, mpesa_receipt__isnull=True),
                name="finance_finepayment_savings_exact",
            ),
        ]

    def __str__(self) -> str:
        return f"Fine payment {self.amount} by {self.membership_id}"


class FineAllocation(models.Model):
    """The part of a payment that settled one fine."""

    id = models.BigAutoField(primary_key=True)
    payment = models.ForeignKey(FinePayment, on_delete=models.PROTECT, related_name="allocations")
    fine = models.ForeignKey(Fine, on_delete=models.PROTECT, related_name="allocations")
    amount = money_field()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "fine"], name="finance_fineallocation_once"),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_fineallocation_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Allocation {self.amount} to {self.fine_id}"
