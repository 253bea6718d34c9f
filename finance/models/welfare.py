"""Welfare claims, paid from the welfare fund (3200), which may never go negative, and the
welfare policy (amounts per claim type, the buffer) an adopted constitution sets."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import BaseModel
from core.money import money_field
from finance.choices import PayoutMethod, WelfareClaimStatus, WelfareClaimType
from finance.models.ledger import JournalEntry
from groups.approvals import TargetSignatures
from groups.choices import ApprovalKind
from groups.models import Chama, Membership


class WelfareClaim(BaseModel):
    """A member's claim on the welfare fund: submitted, decided by an official who is not the
    claimant, then paid (Dr 3200 welfare fund, Cr the cash account it leaves from).

    Paid through a two-phase gateway it is ``in_flight`` (Dr 1090, Cr 1010) until the provider
    answers: settled, the fund pays (Dr 3200, Cr 1090); failed, the money is back and the claim
    approved again. A claim in flight is already spoken for: the fund can pay others only what
    is left after it."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="welfare_claims")
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="welfare_claims"
    )
    claim_type = models.CharField(max_length=12, choices=WelfareClaimType.choices)
    amount = money_field()
    description = models.TextField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=10, choices=WelfareClaimStatus.choices, default=WelfareClaimStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=255, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    payout_method = models.CharField(max_length=10, choices=PayoutMethod.choices, blank=True)
    destination = models.CharField(max_length=64, blank=True)
    paid_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A two-phase (M-Pesa B2C) payment: our id for the provider, fresh for each attempt; the
    # entry that sent the money into 1090; the provider's receipt; why the last attempt failed.
    transfer_reference = models.CharField(max_length=64, null=True, blank=True, unique=True)
    transfer_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transfer_receipt = models.CharField(max_length=20, null=True, blank=True, unique=True)
    failure_reason = models.CharField(max_length=255, blank=True)

    # The officials' signatures on it (groups.approvals), prefetched by the selectors.
    signatures = TargetSignatures(ApprovalKind.WELFARE)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="finance_welfareclaim_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="paid", paid_entry__isnull=False)
                | (~Q(status="paid") & Q(paid_entry__isnull=True)),
                name="finance_welfareclaim_paid_iff_posted",
            ),
            models.CheckConstraint(
                condition=~Q(status="in_flight")
                | Q(transfer_reference__isnull=False, transfer_entry__isnull=False),
                name="finance_welfareclaim_in_flight_has_transfer",
            ),
        ]
        indexes = [models.Index(fields=["chama", "status"], name="finance_welfare_chama_status")]

    def __str__(self) -> str:
        return f"{self.get_claim_type_display()} claim {self.amount} ({self.status})"


class WelfarePolicy(BaseModel):
    """What a chama's welfare fund pays: the constitution's welfare rules, projected on its
    adoption (finance never reads the constitution). One per chama, none for a chama that
    never adopted one, which decides every claim's amount and keeps nothing back.

    Invariants: a fixed amount per claim type is positive or empty (empty: decided per claim);
    ``buffer`` is never negative, and no claim is approved or paid from it: claims may use the
    fund's balance, less the claims in flight, less the buffer."""

    chama = models.OneToOneField(Chama, on_delete=models.PROTECT, related_name="welfare_policy")
    bereavement_amount = money_field(null=True, blank=True)
    hospital_amount = money_field(null=True, blank=True)
    emergency_amount = money_field(null=True, blank=True)
    buffer = money_field(default=0, help_text="What the fund keeps back from claims.")

    class Meta:
        ordering = ["chama"]
        verbose_name_plural = "welfare policies"
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(bereavement_amount__isnull=True) | Q(bereavement_amount__gt=0))
                    & (Q(hospital_amount__isnull=True) | Q(hospital_amount__gt=0))
                    & (Q(emergency_amount__isnull=True) | Q(emergency_amount__gt=0))
                ),
                name="finance_welfarepolicy_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(buffer__gte=0), name="finance_welfarepolicy_buffer_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Welfare policy of {self.chama_id}"

    def fixed_amount(self, claim_type: str) -> Decimal | None:
        """What the constitution pays for a claim of ``claim_type``; None: decided per claim."""
        amount: Decimal | None = getattr(self, f"{claim_type}_amount")
        return amount
