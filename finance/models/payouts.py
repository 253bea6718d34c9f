"""Payouts of a round's pot to its recipient."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import BaseModel
from core.money import money_field
from finance.choices import LIVE_PAYOUT_STATUSES, PayoutKind, PayoutMethod, PayoutStatus
from finance.models.cycles import Round
from finance.models.ledger import JournalEntry
from groups.approvals import TargetSignatures
from groups.choices import ApprovalKind
from groups.models import Chama, Membership


class Payout(BaseModel):
    """One attempt to pay a round's pot. Maker-checker: the official who requests it cannot
    approve it. ``amount`` is what the pot held when it was requested until it is approved,
    then what the approval paid: the pot's whole balance at that moment.

    A round has at most one live primary payout (requested, in flight or completed); a failed
    or rejected one leaves the round payable again. Money that reaches the pot after its
    primary payout completed is paid on to the same recipient by top-ups, proposed
    automatically when it arrives (``automatic``: the one who recorded that money, if anyone,
    is the maker). A round has at most one payout awaiting approval at a time."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="payouts")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="payouts")
    recipient = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=PayoutKind.choices, default=PayoutKind.PRIMARY)
    automatic = models.BooleanField(
        default=False, help_text="A top-up proposed when money reached the paid pot."
    )
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
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a top-up proposed for money that no one recorded (an M-Pesa "
        "callback): any official may approve it.",
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

    # The officials' signatures on it (groups.approvals), prefetched by the selectors.
    signatures = TargetSignatures(ApprovalKind.PAYOUT)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(kind=PayoutKind.PRIMARY, status__in=LIVE_PAYOUT_STATUSES),
                name="finance_payout_one_live_primary_per_round",
            ),
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status=PayoutStatus.REQUESTED),
                name="finance_payout_one_requested_per_round",
            ),
            models.CheckConstraint(
                condition=Q(kind=PayoutKind.TOP_UP) | Q(automatic=False),
                name="finance_payout_only_top_ups_automatic",
            ),
            models.CheckConstraint(
                condition=Q(requested_by__isnull=False) | Q(automatic=True),
                name="finance_payout_requester_named",
            ),
            models.CheckConstraint(
                condition=Q(kind=PayoutKind.PRIMARY) | Q(override_reason=""),
                name="finance_payout_top_up_no_override",
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
