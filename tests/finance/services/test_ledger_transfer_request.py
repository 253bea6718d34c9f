"""Requesting a transfer between the chama's own accounts: only the treasurer or the chair,
between two different accounts, a real amount the from-account holds now; nothing is posted."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance.choices import LedgerTransferStatus
from finance.exceptions import FinanceError
from finance.models import LedgerTransfer
from groups.choices import MembershipStatus
from groups.services import membership_update
from tests.finance.ledger_transfers import (
    BANK,
    CASH,
    PAYBILL,
    books_state,
    cash_accounts,
    requested,
    transfer_book,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    """Every seat has paid round 1 by M-Pesa: the paybill holds 4,000."""
    return transfer_book(mpesa=4)


def test_the_treasurer_requests_a_sweep_and_nothing_moves_yet(book):
    # Given a paybill holding 4,000
    before = cash_accounts(book.chama)
    entries = books_state()[1:]

    # When the treasurer asks to sweep 3,000 of it to the bank
    transfer = requested(book, "3000.00", PAYBILL, BANK, memo="  Monthly sweep  ")

    # Then the transfer awaits another official, and no money has moved
    assert (
        transfer.chama,
        transfer.from_account,
        transfer.to_account,
        transfer.amount,
        transfer.memo,
        transfer.status,
        transfer.requested_by,
        transfer.decided_by,
        transfer.decided_at,
        transfer.entry,
    ) == (
        book.chama,
        PAYBILL,
        BANK,
        Decimal("3000.00"),
        "Monthly sweep",
        LedgerTransferStatus.REQUESTED,
        book.treasurer.user,
        None,
        None,
        None,
    )
    assert books_state()[1:] == entries
    assert (
        cash_accounts(book.chama)
        == before
        == {
            "1010": Decimal("4000.00"),
            "1020": Decimal("0.00"),
            "1030": Decimal("0.00"),
        }
    )


def test_the_chair_may_request_one_too(book):
    transfer = requested(book, "4000.00", by=book.chair)

    assert transfer.requested_by == book.chair.user


@pytest.mark.parametrize("who", ["secretary", "auditor", "member"])
def test_no_one_else_may_request_one(book, who):
    with pytest.raises(PermissionDeniedError) as refused:
        requested(book, "100.00", by=getattr(book, who))

    assert (refused.value.code, refused.value.message) == (
        "treasurer_or_chair_only",
        FinanceError.TRANSFER_REQUESTERS_ONLY.message,
    )
    assert LedgerTransfer.objects.count() == 0


def test_a_treasurer_of_another_chama_or_a_suspended_one_may_not(book):
    other = transfer_book()
    suspended = membership_update(
        membership=book.treasurer, actor=None, data={"status": MembershipStatus.SUSPENDED}
    )

    for acting in (other.treasurer, suspended):
        with pytest.raises(PermissionDeniedError) as refused:
            requested(book, "100.00", by=acting)
        assert refused.value.code == "treasurer_or_chair_only"
    assert LedgerTransfer.objects.count() == 0


def test_the_two_accounts_must_differ(book):
    with pytest.raises(ValidationFailed) as refused:
        requested(book, "100.00", PAYBILL, PAYBILL)

    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "same_account",
        "to_account",
        FinanceError.TRANSFER_SAME_ACCOUNT.message,
    )
    assert LedgerTransfer.objects.count() == 0


@pytest.mark.parametrize(
    ("from_account", "to_account", "field"),
    [("1010", BANK, "from_account"), (PAYBILL, "savings", "to_account")],
)
def test_only_the_paybill_the_bank_and_cash_take_part(book, from_account, to_account, field):
    with pytest.raises(ValidationFailed) as refused:
        requested(book, "100.00", from_account, to_account)

    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "invalid_account",
        field,
        FinanceError.TRANSFER_INVALID_ACCOUNT.message,
    )


@pytest.mark.parametrize("amount", ["0.00", "-5.00", "10.005", "100000000.01", "NaN"])
def test_the_amount_is_positive_with_at_most_two_places(book, amount):
    with pytest.raises(ValidationFailed) as refused:
        requested(book, amount)

    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "invalid_amount",
        "amount",
        FinanceError.TRANSFER_INVALID_AMOUNT.render(maximum="100,000,000.00"),
    )
    assert LedgerTransfer.objects.count() == 0


def test_a_memo_longer_than_255_characters_is_refused(book):
    with pytest.raises(ValidationFailed) as refused:
        requested(book, "100.00", memo="x" * 256)

    assert (refused.value.code, refused.value.field) == ("max_length", "memo")


def test_more_than_the_from_account_holds_is_refused_at_once(book):
    # Given a paybill of 4,000 and an empty cash box
    before = books_state()

    # When the treasurer asks to move 4,000.01 from the paybill, or anything from the cash box
    with pytest.raises(ConflictError) as paybill_short:
        requested(book, "4000.01", PAYBILL, BANK)
    with pytest.raises(ConflictError) as cash_short:
        requested(book, "1.00", CASH, BANK)

    # Then each is insufficient_funds, naming the account and what it holds; nothing written
    assert (paybill_short.value.code, paybill_short.value.message) == (
        "insufficient_funds",
        "1010 M-Pesa paybill holds KES 4,000.00: it cannot pay out KES 4,000.01.",
    )
    assert (cash_short.value.code, cash_short.value.message) == (
        "insufficient_funds",
        "1030 Cash at hand (treasurer) holds KES 0.00: it cannot pay out KES 1.00.",
    )
    assert books_state() == before
