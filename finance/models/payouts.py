"""Payouts of a round's pot to its recipient."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import BaseModel
from core.money import money_field
from finance.choices import LIVE_PAYOUT_STATUSES, PayoutMethod, PayoutStatus
from finance.models.cycles import Round
from finance.models.ledger import JournalEntry
from groups.models import Chama, Membership


class Payout(BaseModel):
    """One attempt to pay a round's pot. Maker-checker: the official who requests it cannot
    approve it. A round has at most one live payout (requested, in flight or completed); a
    failed or rejected one leaves the round payable again."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="payouts")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="payouts")
    recipient = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    amount = money_field()
    method = models.CharField(max_length=10, choices=PayoutMethod.choices)
    destination = models.CharField(
        max_length=64, help_text="The phone (M-Pesa) or account the money went to."
    )
    status = models.CharField(
        max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.REQUESTED
    )
    override_reason = models.CharField(
        max_length=255, blank=True, help_text="Why the chair paid out before every due was settled."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=255, blank=True)
    # Our OriginatorConversationID for M-Pesa B2C: the payout's idempotency key there.
    external_id = models.CharField(max_length=64, unique=True)
    external_receipt = models.CharField(max_length=20, null=True, blank=True, unique=True)
    sent_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    settled_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    failure_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status__in=LIVE_PAYOUT_STATUSES),
                name="finance_payout_one_live_per_round",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_payout_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("requested_by")),
                name="finance_payout_maker_is_not_checker",
            ),
        ]

    def __str__(self) -> str:
        return f"Payout {self.amount} to {self.recipient_id} ({self.status})"
