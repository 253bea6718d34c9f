"""Money paid to the paybill under an account number that names no member: booked Dr 1010
paybill, Cr 2600 suspense, once per M-Pesa receipt in the whole system."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.exceptions import ConflictError, ValidationFailed
from finance import chart
from finance.choices import EntryType, PaymentMethod, SuspenseStatus
from finance.exceptions import FinanceError
from finance.models import JournalEntry, SuspenseReceipt
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.receipts import receipt_recorded
from finance.services.suspense import suspense_receive
from tests.concurrency import run_concurrently
from tests.finance.books import balance, legs
from tests.finance.factories import merry_go_round

pytestmark = pytest.mark.django_db

NAIROBI = ZoneInfo("Africa/Nairobi")
PAID_AT = datetime(2026, 1, 31, 23, 30, tzinfo=NAIROBI)


@pytest.fixture
def chama():
    chama, _seats, _cycle = merry_go_round(members=3, amount="1000.00")
    return chama


def receive(chama, receipt="SR12345678", amount="1500.00", **kwargs):
    return suspense_receive(
        chama=chama,
        amount=Decimal(amount),
        receipt=receipt,
        paid_at=kwargs.pop("paid_at", PAID_AT),
        account_reference=kwargs.pop("account_reference", f"{chama.code}M099"),
        payer=kwargs.pop("payer", "2547 ***** 678 JOHN"),
    )


def test_an_unidentified_receipt_is_booked_to_suspense(chama):
    # When 1,500 arrives for the chama under a member code nobody holds
    result = receive(chama)

    # Then one entry: Dr paybill, Cr unidentified receipts, dated the day it was paid and
    # carrying the receipt
    entry = result.entry
    assert entry.entry_type == EntryType.SUSPENSE
    assert legs(entry) == [("1010", "D", Decimal("1500.00")), ("2600", "C", Decimal("1500.00"))]
    assert (entry.external_source, entry.external_ref) == ("mpesa", "SR12345678")
    assert entry.effective_date == PAID_AT.date()
    assert entry.member is None
    assert entry.memo == f"Unidentified receipt, account {chama.code}M099"
    assert balance(chama, chart.SUSPENSE) == Decimal("-1500.00")
    assert balance(chama, chart.MPESA_PAYBILL) == Decimal("1500.00")
    assert trial_balance_get(chama=chama) == Decimal("0.00")
    # And the receipt waits, open, with what M-Pesa said about it
    stored = SuspenseReceipt.objects.get()
    assert (stored.chama, stored.amount, stored.receipt, stored.paid_at) == (
        chama,
        Decimal("1500.00"),
        "SR12345678",
        PAID_AT,
    )
    assert (stored.account_reference, stored.payer, stored.status) == (
        f"{chama.code}M099",
        "2547 ***** 678 JOHN",
        SuspenseStatus.OPEN,
    )
    assert (stored.membership, stored.contribution, stored.loan_repayment) == (None, None, None)


def test_the_same_receipt_again_returns_the_first_and_books_nothing_more(chama):
    first = receive(chama)

    again = receive(chama, receipt=" sr12345678 ")

    assert again.pk == first.pk
    assert SuspenseReceipt.objects.count() == 1
    assert JournalEntry.objects.filter(external_ref="SR12345678").count() == 1
    assert balance(chama, chart.SUSPENSE) == Decimal("-1500.00")


def test_a_receipt_in_suspense_counts_as_recorded_so_nobody_records_it_again(chama):
    receive(chama)
    member = chama.memberships.get(seat=2)

    with pytest.raises(ConflictError) as by_hand:
        contribution_record(
            chama=chama,
            membership=member,
            amount=Decimal("1500.00"),
            method=PaymentMethod.MPESA,
            mpesa_receipt="SR12345678",
        )

    assert receipt_recorded("SR12345678")
    assert (by_hand.value.code, by_hand.value.message) == (
        "duplicate_receipt",
        FinanceError.DUPLICATE_RECEIPT.render(receipt="SR12345678"),
    )
    assert not member.contributions.exists()


def test_a_receipt_already_recorded_as_a_contribution_or_with_another_amount_is_refused(chama):
    member = chama.memberships.get(seat=2)
    contribution_record(
        chama=chama,
        membership=member,
        amount=Decimal("1000.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="SR12345678",
    )
    receive(chama, receipt="SR12345679")
    entries = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as recorded:
        receive(chama, receipt="SR12345678")
    with pytest.raises(ConflictError) as other_amount:
        receive(chama, receipt="SR12345679", amount="1500.01")

    assert recorded.value.code == other_amount.value.code == "duplicate_receipt"
    assert other_amount.value.message == FinanceError.DUPLICATE_RECEIPT.render(receipt="SR12345679")
    assert JournalEntry.objects.count() == entries
    assert SuspenseReceipt.objects.count() == 1


def test_what_is_not_an_mpesa_receipt_is_refused(chama):
    with pytest.raises(ValidationFailed) as caught:
        receive(chama, receipt="SR-1234")

    assert (caught.value.code, caught.value.message) == (
        "invalid_receipt",
        FinanceError.INVALID_RECEIPT.message,
    )
    assert not SuspenseReceipt.objects.exists()


def test_a_long_account_reference_and_payer_are_kept_within_their_columns(chama):
    result = receive(chama, account_reference=" " + "X" * 70 + " ", payer="N" * 130)

    assert result.account_reference == "X" * 64
    assert result.payer == "N" * 120


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_deliveries_of_one_receipt_book_it_once():
    chama, _seats, _cycle = merry_go_round(members=2, amount="1000.00")

    results = run_concurrently(lambda: receive(chama), 10)

    assert all(isinstance(r, SuspenseReceipt) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert JournalEntry.objects.filter(external_ref="SR12345678").count() == 1
    assert balance(chama, chart.SUSPENSE) == Decimal("-1500.00")
    assert trial_balance_get(chama=chama) == Decimal("0.00")
