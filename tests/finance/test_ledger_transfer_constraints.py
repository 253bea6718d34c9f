"""What the database itself holds of a ledger transfer's rules, proved by going around the
services with plain UPDATEs: a positive amount, two different accounts, an entry exactly when
completed, a decision exactly when decided, maker ≠ checker, a reason for every rejection."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from finance.choices import LedgerTransferStatus
from finance.models import LedgerTransfer
from tests.finance.ledger_transfers import BANK, PAYBILL, completed, requested, transfer_book

pytestmark = pytest.mark.django_db

REQUESTED, COMPLETED, REJECTED = (
    LedgerTransferStatus.REQUESTED,
    LedgerTransferStatus.COMPLETED,
    LedgerTransferStatus.REJECTED,
)


@pytest.fixture
def book():
    return transfer_book(mpesa=4)


def refused(transfer, **change):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        LedgerTransfer.objects.filter(pk=transfer.pk).update(**change)
    return str(caught.value)


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"amount": Decimal("0.00")}, "amount_positive"),
        ({"amount": Decimal("-1.00")}, "amount_positive"),
        ({"to_account": PAYBILL}, "accounts_differ"),
        ({"status": COMPLETED}, "completed_iff_posted"),
        ({"decided_at": timezone.now()}, "decided_iff_not_requested"),
        ({"status": REJECTED, "rejection_reason": "No"}, "decided_iff_not_requested"),
    ],
)
def test_a_requested_transfer_cannot_be_bent(book, change, rule):
    transfer = requested(book, "100.00", PAYBILL, BANK)

    assert f"finance_ledgertransfer_{rule}" in refused(transfer, **change)
    assert LedgerTransfer.objects.get(pk=transfer.pk).status == REQUESTED


def test_a_completed_transfer_keeps_its_entry_and_its_checker(book):
    transfer = completed(book, "100.00")

    assert "completed_iff_posted" in refused(transfer, entry=None)
    assert "completed_iff_posted" in refused(transfer, status=REJECTED, rejection_reason="No")
    assert "maker_is_not_checker" in refused(transfer, decided_by=transfer.requested_by)


def test_a_rejection_carries_its_reason(book):
    transfer = requested(book, "100.00")

    message = refused(
        transfer, status=REJECTED, decided_by=book.chair.user, decided_at=timezone.now()
    )

    assert "finance_ledgertransfer_rejected_has_reason" in message
