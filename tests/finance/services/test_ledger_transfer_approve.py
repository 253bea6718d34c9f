"""Approving a transfer between the chama's own accounts: another official, once; one entry,
Dr the to-account · Cr the from-account. When the money has left the from-account since the
request, the ledger refuses it and nothing is written."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import ConflictError, PermissionDeniedError
from finance.choices import EntryType, LedgerTransferStatus
from finance.exceptions import FinanceError
from finance.models import JournalEntry, LedgerTransfer
from finance.selectors import trial_balance_get
from finance.services.ledger_transfers import ledger_transfer_approve, ledger_transfer_reject
from tests.concurrency import run_concurrently
from tests.finance.books import legs
from tests.finance.ledger_transfers import (
    BANK,
    CASH,
    PAYBILL,
    books_state,
    cash_accounts,
    completed,
    requested,
    transfer_book,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    """Seats 1 and 2 paid round 1 by M-Pesa, seats 3 and 4 in cash: 2,000 in the paybill and
    2,000 in the cash box."""
    return transfer_book(mpesa=2, cash=2)


def approve(transfer, acting):
    return ledger_transfer_approve(transfer=transfer, acting=acting)


def test_sweeping_the_paybill_to_the_bank_posts_one_entry_dr_bank_cr_paybill(book):
    # Given the treasurer's request to sweep 1,500 of the paybill to the bank
    transfer = requested(book, "1500.00", PAYBILL, BANK, memo="Monthly sweep")
    before = timezone.now()

    # When the chair approves it
    done = approve(transfer, book.chair)

    # Then the transfer is completed by the chair, with its one entry
    stored = LedgerTransfer.objects.get(pk=transfer.pk)
    assert (stored.status, stored.decided_by, stored.entry) == (
        LedgerTransferStatus.COMPLETED,
        book.chair.user,
        done.entry,
    )
    assert stored.decided_at >= before
    entry = stored.entry
    assert entry.entry_type == EntryType.TRANSFER
    assert entry.idempotency_key == f"transfer:{transfer.pk}"
    assert entry.recorded_by == book.chair.user
    assert entry.member is None
    assert entry.memo == "Transfer from 1010 M-Pesa paybill to 1020 Bank account: Monthly sweep"
    assert legs(entry) == [("1010", "C", Decimal("1500.00")), ("1020", "D", Decimal("1500.00"))]
    # And the money is in the bank
    assert cash_accounts(book.chama) == {
        "1010": Decimal("500.00"),
        "1020": Decimal("1500.00"),
        "1030": Decimal("2000.00"),
    }
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")


def test_banking_the_cash_posts_dr_bank_cr_cash_and_drawing_it_back_the_mirror(book):
    # When the secretary approves the treasurer's banking of the whole cash box
    banked = approve(requested(book, "2000.00", CASH, BANK), book.secretary)

    # Then Dr 1020 · Cr 1030, with the memo naming both accounts
    assert legs(banked.entry) == [
        ("1020", "D", Decimal("2000.00")),
        ("1030", "C", Decimal("2000.00")),
    ]
    assert banked.entry.memo == "Transfer from 1030 Cash at hand (treasurer) to 1020 Bank account"
    # And when the chair requests 250 back into the cash box for a meeting, the treasurer
    # approves it: Dr 1030 · Cr 1020
    drawn = approve(requested(book, "250.00", BANK, CASH, by=book.chair), book.treasurer)
    assert legs(drawn.entry) == [("1020", "C", Decimal("250.00")), ("1030", "D", Decimal("250.00"))]
    assert cash_accounts(book.chama) == {
        "1010": Decimal("2000.00"),
        "1020": Decimal("1750.00"),
        "1030": Decimal("250.00"),
    }


def test_the_requester_cannot_approve_their_own_transfer(book):
    transfer = requested(book, "100.00")
    before = books_state()

    with pytest.raises(PermissionDeniedError) as refused:
        approve(transfer, book.treasurer)

    assert (refused.value.code, refused.value.message) == (
        "same_official",
        FinanceError.TRANSFER_SAME_OFFICIAL.message,
    )
    assert books_state() == before


@pytest.mark.parametrize("who", ["auditor", "member"])
def test_the_auditor_and_members_decide_nothing(book, who):
    transfer = requested(book, "100.00")
    before = books_state()

    for decide in (
        lambda: approve(transfer, getattr(book, who)),
        lambda: ledger_transfer_reject(transfer=transfer, acting=getattr(book, who), reason="No"),
    ):
        with pytest.raises(PermissionDeniedError) as refused:
            decide()
        assert (refused.value.code, refused.value.message) == (
            "officials_only",
            FinanceError.TRANSFER_OFFICIALS_ONLY.message,
        )
    assert books_state() == before


def test_an_official_of_another_chama_cannot_approve(book):
    other = transfer_book()
    transfer = requested(book, "100.00")

    with pytest.raises(PermissionDeniedError) as refused:
        approve(transfer, other.chair)

    assert refused.value.code == "officials_only"
    assert LedgerTransfer.objects.get(pk=transfer.pk).status == LedgerTransferStatus.REQUESTED


def test_a_completed_transfer_is_not_approved_twice(book):
    # Given a transfer the chair approved
    transfer = completed(book, "1000.00")
    before = books_state()
    balances = cash_accounts(book.chama)

    # When the secretary approves it again, or rejects it
    with pytest.raises(ConflictError) as again:
        approve(transfer, book.secretary)
    with pytest.raises(ConflictError) as rejected:
        ledger_transfer_reject(transfer=transfer, acting=book.secretary, reason="Too late")

    # Then both are refused and the money moved once
    for refused in (again, rejected):
        assert (refused.value.code, refused.value.message) == (
            "transfer_not_requested",
            FinanceError.TRANSFER_NOT_REQUESTED.render(status="completed"),
        )
    assert books_state() == before
    assert cash_accounts(book.chama) == balances


def test_a_rejected_transfer_cannot_be_approved(book):
    transfer = ledger_transfer_reject(
        transfer=requested(book, "100.00"), acting=book.chair, reason="Not this month"
    )

    with pytest.raises(ConflictError) as refused:
        approve(transfer, book.secretary)

    assert refused.value.message == FinanceError.TRANSFER_NOT_REQUESTED.render(status="rejected")


def test_money_that_left_since_the_request_is_refused_by_the_ledger_and_nothing_is_written(book):
    # Given two requests on the cash box's 2,000, each covered when it was made
    banking = requested(book, "2000.00", CASH, BANK)
    topping_up = requested(book, "1500.00", CASH, PAYBILL, by=book.chair)
    # And the first one approved: the cash box is empty
    approve(banking, book.secretary)
    before = books_state()
    balances = cash_accounts(book.chama)

    # When the treasurer approves the second
    with pytest.raises(ConflictError) as refused:
        approve(topping_up, book.treasurer)

    # Then the ledger refuses it, naming the cash box, and it is still requested
    assert (refused.value.code, refused.value.message) == (
        "insufficient_funds",
        "1030 Cash at hand (treasurer) holds KES 0.00: it cannot pay out KES 1,500.00.",
    )
    assert books_state() == before
    assert (
        cash_accounts(book.chama)
        == balances
        == {
            "1010": Decimal("2000.00"),
            "1020": Decimal("2000.00"),
            "1030": Decimal("0.00"),
        }
    )
    assert LedgerTransfer.objects.get(pk=topping_up.pk).status == LedgerTransferStatus.REQUESTED


# --- Real threads on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_transfers_racing_for_the_last_of_the_cash_box_one_wins():
    # Given a cash box of 2,000 and two requests of 1,500 on it, each covered alone
    book = transfer_book(mpesa=2, cash=2)
    transfers = iter(
        [
            requested(book, "1500.00", CASH, BANK),
            requested(book, "1500.00", CASH, PAYBILL, by=book.chair),
        ]
    )

    # When the secretary's two approvals run at the same moment
    results = run_concurrently(lambda: approve(next(transfers), book.secretary), 2)

    # Then exactly one moved the money; the other was refused by the ledger, still requested
    made = [r for r in results if isinstance(r, LedgerTransfer)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(made) == 1, results
    assert [(e.code, e.message) for e in refused] == [
        (
            "insufficient_funds",
            "1030 Cash at hand (treasurer) holds KES 500.00: it cannot pay out KES 1,500.00.",
        )
    ], results
    assert LedgerTransfer.objects.filter(status=LedgerTransferStatus.COMPLETED).count() == 1
    assert LedgerTransfer.objects.filter(status=LedgerTransferStatus.REQUESTED).count() == 1
    assert cash_accounts(book.chama)["1030"] == Decimal("500.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_transfer_approved_twice_at_once_moves_the_money_once():
    book = transfer_book(mpesa=2, cash=2)
    transfer = requested(book, "1000.00", PAYBILL, BANK)
    checkers = iter([book.chair, book.secretary])

    results = run_concurrently(lambda: approve(transfer, next(checkers)), 2)

    made = [r for r in results if isinstance(r, LedgerTransfer)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(made) == 1, results
    assert [e.code for e in refused] == ["transfer_not_requested"], results
    assert JournalEntry.objects.filter(entry_type=EntryType.TRANSFER).count() == 1
    assert cash_accounts(book.chama) == {
        "1010": Decimal("1000.00"),
        "1020": Decimal("1000.00"),
        "1030": Decimal("2000.00"),
    }
