from django.db import models


class CallbackKind(models.TextChoices):
    STK = "stk", "STK Push result"
    C2B_VALIDATION = "c2b_validation", "C2B validation"
    C2B_CONFIRMATION = "c2b_confirmation", "C2B confirmation"
    B2C_RESULT = "b2c_result", "B2C result"
    B2C_TIMEOUT = "b2c_timeout", "B2C queue timeout"
    STATUS_RESULT = "status_result", "Transaction status result"
    STATUS_TIMEOUT = "status_timeout", "Transaction status timeout"


class CallbackOutcome(models.TextChoices):
    """What processing made of a stored callback; anything but processed/duplicate needs a look."""

    RECEIVED = "received", "Received, not processed yet"
    PROCESSED = "processed", "Processed"
    DUPLICATE = "duplicate", "Duplicate of one already processed"
    UNKNOWN = "unknown", "Refers to nothing we sent"
    HELD = "held", "Held for the treasurer"
    INVALID = "invalid", "Unreadable or incomplete"
    REJECTED = "rejected", "Rejected (C2B validation)"


# What may be processed again: never processed, or naming a request not yet known.
REPROCESSABLE_OUTCOMES = frozenset({CallbackOutcome.RECEIVED, CallbackOutcome.UNKNOWN})
ATTENTION_OUTCOMES = frozenset(
    {CallbackOutcome.UNKNOWN, CallbackOutcome.HELD, CallbackOutcome.INVALID}
)


class PaymentPurpose(models.TextChoices):
    CONTRIBUTION = "contribution", "Contribution"
    LOAN_REPAYMENT = "loan_repayment", "Loan repayment"
    FINE = "fine", "Fines"


class StkStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the member"
    SUCCEEDED = "succeeded", "Paid"
    FAILED = "failed", "Failed"
    HELD = "held", "Held for the treasurer"
    NOT_SENT = "not_sent", "Daraja refused the request"


class C2BStatus(models.TextChoices):
    CREDITED = "credited", "Credited to the member"
    SUSPENSE = "suspense", "In the chama's suspense account"
    UNMATCHED = "unmatched", "No chama with this account number"
    DUPLICATE = "duplicate", "Receipt already in the books"


class B2CStatus(models.TextChoices):
    SENDING = "sending", "Being sent"
    SENT = "sent", "Accepted by Daraja, awaiting the result"
    UNKNOWN = "unknown", "Outcome unknown: querying the status"
    SUCCEEDED = "succeeded", "Paid"
    FAILED = "failed", "Failed"
