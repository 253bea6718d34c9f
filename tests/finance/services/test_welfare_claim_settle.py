"""M-Pesa confirms a welfare claim sent by B2C: the fund pays it (Dr 3200 welfare fund, Cr 1090
payouts in flight) and the claim is paid."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance import chart
from finance.choices import EntryType, PaymentMethod, WelfareClaimStatus
from finance.exceptions import FinanceError
from finance.models import JournalEntry, WelfareClaim
from finance.selectors import trial_balance_get
from finance.services.in_flight import TRANSFER_SOURCE
from finance.services.welfare import welfare_claim_fail, welfare_claim_settle
from tests.finance.books import legs
from tests.finance.welfare import approved, balance, contribute, fund_available, sent, welfare_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_flight(b2c_gateway):
    """A fund of 1,600 paid in by M-Pesa, and the member's claim of 500 sent by B2C."""
    book = welfare_book()
    contribute(book, PaymentMethod.MPESA)
    claim = sent(book, book.member, "500.00")
    return book, claim


def test_settling_pays_the_claim_from_the_fund_and_clears_flight(in_flight):
    book, claim = in_flight

    settled = welfare_claim_settle(claim=claim, receipt="WP12345678")

    entry = settled.paid_entry
    assert entry.entry_type == EntryType.WELFARE_PAYOUT
    assert legs(entry) == [("1090", "C", Decimal("500.00")), ("3200", "D", Decimal("500.00"))]
    assert (entry.external_source, entry.external_ref) == (TRANSFER_SOURCE, "WP12345678")
    assert entry.idempotency_key == f"transfer:{claim.transfer_reference}:outcome"
    assert entry.member == book.member
    assert balance(book.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(book.chama, chart.WELFARE_FUND) == Decimal("-1100.00")
    assert fund_available(book.chama) == Decimal("1100.00")
    assert balance(book.chama, chart.MPESA_PAYBILL) == Decimal("3500.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    stored = WelfareClaim.objects.get(pk=claim.pk)
    assert stored.status == WelfareClaimStatus.PAID
    assert stored.paid_at is not None
    assert stored.paid_by == book.treasurer.user
    assert stored.transfer_receipt == "WP12345678"


@pytest.mark.parametrize("answer", ["settle", "fail"])
def test_a_second_answer_is_a_conflict_and_writes_nothing(in_flight, answer):
    _, claim = in_flight
    welfare_claim_settle(claim=claim, receipt="WP12345678")
    entries = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as caught:
        if answer == "settle":
            welfare_claim_settle(claim=claim, receipt="WP12345678")
        else:
            welfare_claim_fail(claim=claim, reason="late failure")

    assert (caught.value.code, caught.value.message) == (
        "claim_not_in_flight",
        FinanceError.WELFARE_NOT_IN_FLIGHT.render(status="paid"),
    )
    assert JournalEntry.objects.count() == entries
    assert WelfareClaim.objects.get(pk=claim.pk).status == WelfareClaimStatus.PAID


def test_an_approved_claim_that_was_never_sent_cannot_be_settled(in_flight):
    book, _ = in_flight
    claim = approved(book, book.secretary, "100.00")

    with pytest.raises(ConflictError) as caught:
        welfare_claim_settle(claim=claim, receipt="WP12345678")

    assert caught.value.message == FinanceError.WELFARE_NOT_IN_FLIGHT.render(status="approved")
