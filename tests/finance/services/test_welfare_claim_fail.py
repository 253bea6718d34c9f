"""M-Pesa refuses a welfare claim sent by B2C: the money is back in the paybill (Dr 1010, Cr
1090), the fund no longer holds it for the claim, and the claim is approved again."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance import chart
from finance.choices import EntryType, PaymentMethod, PayoutMethod, WelfareClaimStatus
from finance.models import JournalEntry
from finance.selectors import trial_balance_get
from finance.services.welfare import welfare_claim_fail, welfare_claim_pay, welfare_claim_settle
from tests.finance.books import legs
from tests.finance.welfare import balance, contribute, fund_available, sent, welfare_book

pytestmark = pytest.mark.django_db


def test_failing_brings_the_money_back_and_the_claim_can_be_paid_again(
    b2c_gateway, django_capture_on_commit_callbacks
):
    # Given the member's claim of 500 sent by B2C from a fund of 1,600
    book = welfare_book()
    contribute(book, PaymentMethod.MPESA)
    claim = sent(book, book.member, "500.00")
    first_reference = claim.transfer_reference

    # When M-Pesa refuses it
    failed = welfare_claim_fail(claim=claim, reason="The recipient's line is not registered")

    # Then the 500 is back in the paybill, nothing is in flight, the fund holds 1,600 for all
    entry = JournalEntry.objects.get(entry_type=EntryType.WELFARE_FAILED)
    assert legs(entry) == [("1010", "D", Decimal("500.00")), ("1090", "C", Decimal("500.00"))]
    assert entry.idempotency_key == f"transfer:{first_reference}:outcome"
    assert entry.member == book.member
    assert balance(book.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(book.chama, chart.MPESA_PAYBILL) == Decimal("4000.00")
    assert fund_available(book.chama) == Decimal("1600.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    # And the claim is approved again, with the reason kept
    assert failed.status == WelfareClaimStatus.APPROVED
    assert failed.failure_reason == "The recipient's line is not registered"
    assert (failed.paid_by, failed.paid_entry) == (None, None)
    with pytest.raises(ConflictError) as twice:
        welfare_claim_fail(claim=claim, reason="again")
    assert twice.value.code == "claim_not_in_flight"

    # When it is paid again by M-Pesa it goes under a new reference, and this time arrives
    with django_capture_on_commit_callbacks(execute=True):
        again = welfare_claim_pay(claim=failed, acting=book.secretary, method=PayoutMethod.MPESA)
    assert again.transfer_reference != first_reference
    assert again.failure_reason == ""
    assert [t.reference for t in b2c_gateway.transfers] == [again.transfer_reference]
    paid = welfare_claim_settle(claim=again, receipt="WP12345678")

    assert paid.status == WelfareClaimStatus.PAID
    assert balance(book.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(book.chama, chart.MPESA_PAYBILL) == Decimal("3500.00")
    assert fund_available(book.chama) == Decimal("1100.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
