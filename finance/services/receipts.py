"""M-Pesa receipts in the books: one spelling, and each used once in the whole system.

A receipt number is unique wherever money is booked (contributions, and the entries of loan
repayments and suspense receipts): the database holds that; these helpers validate a receipt
before it is written and name the refusal when a unique constraint fires."""

import re

from core.exceptions import ConflictError, ValidationFailed
from finance.choices import ContributionStatus, PaymentMethod
from finance.exceptions import FinanceError
from finance.models import Contribution, JournalEntry

RECEIPT_RE = re.compile(r"^[A-Z0-9]{10}$")
MPESA_SOURCE = "mpesa"


def receipt_validate(method: str, status: str, receipt: str | None) -> str | None:
    """The normalised receipt for this method and status, or a ValidationFailed."""
    receipt = (receipt or "").strip().upper() or None
    if method != PaymentMethod.MPESA:
        if receipt:
            raise ValidationFailed(FinanceError.RECEIPT_NOT_MPESA, field="mpesa_receipt")
        return None
    if status == ContributionStatus.PENDING:
        raise ValidationFailed(FinanceError.PENDING_MPESA, field="status")
    if receipt is None:
        raise ValidationFailed(FinanceError.RECEIPT_REQUIRED, field="mpesa_receipt")
    if not RECEIPT_RE.match(receipt):
        raise ValidationFailed(FinanceError.INVALID_RECEIPT, field="mpesa_receipt")
    return receipt


def receipt_recorded(receipt: str) -> bool:
    """Whether this M-Pesa receipt is already anywhere in the books: as a contribution, or on
    the entry that booked it (a loan repayment, a receipt held in suspense)."""
    return (
        Contribution.objects.filter(mpesa_receipt=receipt).exists()
        or JournalEntry.objects.filter(external_source=MPESA_SOURCE, external_ref=receipt).exists()
    )


def duplicate_receipt_error(receipt: str) -> ConflictError:
    return ConflictError(FinanceError.DUPLICATE_RECEIPT, receipt=receipt)
