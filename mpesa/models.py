"""What Hazina exchanges with Daraja.

Every callback is stored raw (``DarajaCallback``) before it is read, so nothing Safaricom sends is
ever lost, and processing is idempotent on what we initiated: a ``StkRequest`` by its
CheckoutRequestID, a ``C2BPayment`` by its receipt (TransID), a ``B2CRequest`` by our
OriginatorConversationID. The money itself is in finance's ledger; these rows say where it came
from and link to what it became.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import BaseModel
from core.money import money_field
from finance.gateways import TransferKind
from finance.models import Contribution, FinePayment, JournalEntry, Loan, LoanRepayment
from groups.models import Chama, Membership
from mpesa.choices import (
    B2CStatus,
    C2BStatus,
    CallbackKind,
    CallbackOutcome,
    PaymentPurpose,
    StkStatus,
)


class DarajaCallback(models.Model):
    """A callback exactly as it arrived (body capped at MAX_BODY bytes). Rows are only ever
    added and their outcome recorded: they are the evidence when a member disputes a payment."""

    MAX_BODY = 64 * 1024

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=20, choices=CallbackKind.choices)
    body = models.TextField(blank=True)
    body_size = models.PositiveIntegerField(default=0)
    headers = models.JSONField(default=dict)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    reference = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="Receipt, CheckoutRequestID or ours."
    )
    outcome = models.CharField(
        max_length=12, choices=CallbackOutcome.choices, default=CallbackOutcome.RECEIVED
    )
    detail = models.CharField(max_length=255, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["outcome", "received_at"], name="mpesa_callback_outcome")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.outcome})"


class StkRequest(BaseModel):
    """A payment prompt sent to a member's phone. The callback does not echo our account
    reference, so who pays, for what and how much is kept here under the CheckoutRequestID."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="stk_requests")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=20, choices=PaymentPurpose.choices)
    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = money_field()
    phone = models.CharField(max_length=16)
    account_reference = models.CharField(max_length=12)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merchant_request_id = models.CharField(max_length=64, blank=True)
    checkout_request_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    status = models.CharField(max_length=10, choices=StkStatus.choices, default=StkStatus.PENDING)
    result_code = models.IntegerField(null=True, blank=True)
    result_desc = models.CharField(max_length=255, blank=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    receipt = models.CharField(max_length=20, null=True, blank=True)
    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    repayment = models.ForeignKey(
        LoanRepayment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fine_payment = models.ForeignKey(
        FinePayment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    last_queried_at = models.DateTimeField(null=True, blank=True)
    query_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="mpesa_stkrequest_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(purpose=PaymentPurpose.LOAN_REPAYMENT) | Q(loan__isnull=False),
                name="mpesa_stkrequest_repayment_names_loan",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="mpesa_stk_status")]

    def __str__(self) -> str:
        return f"STK {self.amount} from {self.phone} ({self.status})"


class C2BPayment(BaseModel):
    """A paybill payment Daraja confirmed. The MSISDN is masked or hashed, so the member is
    known only by the account number they typed: chama code + member code (+ ``L`` for a loan
    repayment, ``F`` for fines)."""

    trans_id = models.CharField(max_length=20, unique=True)
    trans_time = models.DateTimeField()
    amount = money_field()
    bill_ref_number = models.CharField(max_length=40, blank=True)
    business_shortcode = models.CharField(max_length=20, blank=True)
    msisdn = models.CharField(max_length=80, blank=True, help_text="Masked or hashed by Safaricom.")
    payer_name = models.CharField(max_length=150, blank=True)
    chama = models.ForeignKey(
        Chama, on_delete=models.PROTECT, null=True, blank=True, related_name="c2b_payments"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(max_length=20, choices=PaymentPurpose.choices, blank=True)
    status = models.CharField(max_length=10, choices=C2BStatus.choices)
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-trans_time"]

    def __str__(self) -> str:
        return f"C2B {self.trans_id} {self.amount} to {self.bill_ref_number} ({self.status})"


class B2CRequest(BaseModel):
    """Money sent from the chama's shortcode to a phone: a pot, a loan or a welfare claim.
    Our OriginatorConversationID is unique, so Daraja refuses a resend of the same transfer;
    an unknown outcome is settled by a status query, never by sending again."""

    kind = models.CharField(max_length=10, choices=TransferKind.choices)
    object_id = models.UUIDField(help_text="The Payout, Loan or WelfareClaim.")
    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="b2c_requests")
    amount = money_field()
    phone = models.CharField(max_length=16)
    originator_conversation_id = models.CharField(max_length=64, unique=True)
    conversation_id = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=B2CStatus.choices, default=B2CStatus.SENDING)
    result_code = models.IntegerField(null=True, blank=True)
    result_desc = models.CharField(max_length=255, blank=True)
    receipt = models.CharField(max_length=20, null=True, blank=True, unique=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_queried_at = models.DateTimeField(null=True, blank=True)
    query_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="mpesa_b2crequest_amount_positive"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="mpesa_b2c_status")]

    def __str__(self) -> str:
        return f"B2C {self.amount} to {self.phone} ({self.status})"
