"""Rejecting a transfer between the chama's own accounts: another official, or the requester
withdrawing it, always with a reason; nothing is posted."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError, ValidationFailed
from finance.choices import LedgerTransferStatus
from finance.exceptions import FinanceError
from finance.models import LedgerTransfer
from finance.services.ledger_transfers import ledger_transfer_reject
from tests.finance.ledger_transfers import books_state, cash_accounts, requested, transfer_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    """Every seat has paid round 1 by M-Pesa: the paybill holds 4,000."""
    return transfer_book(mpesa=4)


def reject(transfer, acting, reason):
    return ledger_transfer_reject(transfer=transfer, acting=acting, reason=reason)


@pytest.mark.parametrize("who", ["chair", "secretary"])
def test_another_official_rejects_with_a_reason_and_nothing_moves(book, who):
    # Given the treasurer's request to sweep 1,000 to the bank
    transfer = requested(book, "1000.00")
    entries = books_state()[1:]

    # When another official rejects it
    rejected = reject(transfer, getattr(book, who), "  Wait for the bank's new account  ")

    # Then it is rejected by them, with the reason, and the paybill still holds everything
    stored = LedgerTransfer.objects.get(pk=rejected.pk)
    assert (stored.status, stored.decided_by, stored.rejection_reason, stored.entry) == (
        LedgerTransferStatus.REJECTED,
        getattr(book, who).user,
        "Wait for the bank's new account",
        None,
    )
    assert stored.decided_at is not None
    assert books_state()[1:] == entries
    assert cash_accounts(book.chama)["1010"] == Decimal("4000.00")


def test_the_requester_may_withdraw_their_own_request(book):
    transfer = requested(book, "1000.00", by=book.chair)

    withdrawn = reject(transfer, book.chair, "Typed the wrong amount")

    assert (withdrawn.status, withdrawn.decided_by, withdrawn.rejection_reason) == (
        LedgerTransferStatus.REJECTED,
        book.chair.user,
        "Typed the wrong amount",
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(book, reason):
    transfer = requested(book, "1000.00")
    before = books_state()

    with pytest.raises(ValidationFailed) as refused:
        reject(transfer, book.chair, reason)

    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "reason_required",
        "reason",
        FinanceError.TRANSFER_REASON_REQUIRED.message,
    )
    assert books_state() == before


def test_a_rejected_transfer_is_not_rejected_again(book):
    transfer = reject(requested(book, "1000.00"), book.chair, "No")
    before = books_state()

    with pytest.raises(ConflictError) as again:
        reject(transfer, book.secretary, "Still no")

    assert again.value.code == "transfer_not_requested"
    assert again.value.message == FinanceError.TRANSFER_NOT_REQUESTED.render(status="rejected")
    assert books_state() == before
