"""M-Pesa refuses a loan sent by B2C: the money is back where it left, the loan approved
again, and it can be sent anew under a new reference."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance import chart
from finance.choices import EntryType, LoanStatus
from finance.models import JournalEntry, Loan
from finance.selectors import trial_balance_get
from finance.services.loans import loan_disbursement_fail, loan_disbursement_settle
from tests.finance.books import balance, legs
from tests.finance.loans import approved_loan, loan_book, sent_by_mpesa

pytestmark = pytest.mark.django_db


def test_failing_brings_the_money_back_and_the_loan_can_be_sent_again(
    b2c_gateway, django_capture_on_commit_callbacks
):
    # Given a loan of 15,000 sent by M-Pesa
    book = loan_book()
    loan = sent_by_mpesa(book, approved_loan(book))
    first = Loan.objects.get(pk=loan.pk)

    # When M-Pesa refuses it
    failed = loan_disbursement_fail(loan=loan, reason="The recipient's line is not registered")

    # Then the 14,700 is back in the paybill, nothing is in flight or receivable
    entry = JournalEntry.objects.get(entry_type=EntryType.LOAN_FAILED)
    assert legs(entry) == [("1010", "D", Decimal("14700.00")), ("1090", "C", Decimal("14700.00"))]
    assert entry.idempotency_key == f"transfer:{first.disbursement_reference}:outcome"
    assert entry.member == book.borrower
    assert balance(book.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(book.chama, chart.MPESA_PAYBILL) == Decimal("30000.00")
    assert balance(book.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == Decimal("0.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    # And the loan is approved again with the reason kept
    assert failed.status == LoanStatus.APPROVED
    assert failed.disbursement_failure_reason == "The recipient's line is not registered"
    with pytest.raises(ConflictError) as twice:
        loan_disbursement_fail(loan=loan, reason="again")
    assert twice.value.code == "loan_not_in_flight"

    # When it is sent again, it goes under a new reference, and this time M-Pesa confirms
    with django_capture_on_commit_callbacks(execute=True):
        again = sent_by_mpesa(book, failed)
    assert again.disbursement_reference != first.disbursement_reference
    assert again.disbursement_failure_reason == ""
    assert [t.reference for t in b2c_gateway.transfers] == [again.disbursement_reference]
    settled = loan_disbursement_settle(loan=again, receipt="LD12345679")

    assert settled.status == LoanStatus.ACTIVE
    assert balance(book.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(book.chama, chart.MPESA_PAYBILL) == Decimal("15300.00")
    assert balance(book.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == Decimal("15000.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    assert JournalEntry.objects.filter(entry_type=EntryType.LOAN_IN_FLIGHT).count() == 2
