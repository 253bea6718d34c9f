"""Disbursing an approved loan: by hand it is active at once; through a two-phase gateway
(M-Pesa B2C) the money goes into payouts in flight and the transfer is sent on commit."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError, ValidationFailed
from finance import chart
from finance.choices import EntryType, LoanStatus, PaymentMethod, PayoutMethod
from finance.exceptions import FinanceError
from finance.gateways import Transfer, TransferKind
from finance.models import JournalEntry, Loan
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.loans import loan_apply, loan_disburse, loan_repay
from tests.finance.books import balance, legs
from tests.finance.loans import approved_loan, loan_book, sent_by_mpesa

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    return loan_book()


def test_a_b2c_disbursement_sends_the_principal_less_the_fee_into_flight(
    book, b2c_gateway, django_capture_on_commit_callbacks
):
    # Given an approved loan of 15,000 with a 2% processing fee (300)
    loan = approved_loan(book)

    # When the treasurer disburses it by M-Pesa
    with django_capture_on_commit_callbacks() as callbacks:
        result = sent_by_mpesa(book, loan)
        # Then nothing is sent before the transaction commits
        assert b2c_gateway.transfers == []
    for callback in callbacks:
        callback()

    # And one entry moves 14,700 from the paybill into payouts in flight, for the borrower;
    # nothing is receivable yet and no fee is income yet
    entry = result.disbursement_sent_entry
    assert entry.entry_type == EntryType.LOAN_IN_FLIGHT
    assert legs(entry) == [("1010", "C", Decimal("14700.00")), ("1090", "D", Decimal("14700.00"))]
    assert entry.member == book.borrower
    assert entry.recorded_by == book.treasurer.user
    assert entry.idempotency_key == f"transfer:{result.disbursement_reference}:sent"
    assert balance(book.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("14700.00")
    assert balance(book.chama, chart.MPESA_PAYBILL) == Decimal("15300.00")
    assert balance(book.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == Decimal("0.00")
    assert balance(book.chama, chart.INTEREST_INCOME) == Decimal("0.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    # And the loan is in flight under a fresh reference, which the provider is given
    stored = Loan.objects.get(pk=loan.pk)
    assert stored.status == LoanStatus.DISBURSED
    assert len(stored.disbursement_reference) == 32
    assert (stored.disbursement_method, stored.disbursed_at, stored.disbursement_entry) == (
        PaymentMethod.MPESA,
        None,
        None,
    )
    assert b2c_gateway.transfers == [
        Transfer(
            kind=TransferKind.LOAN,
            object_id=loan.pk,
            chama_id=book.chama.pk,
            amount=Decimal("14700.00"),
            destination=book.borrower.receive_phone,
            reference=stored.disbursement_reference,
            remarks="Loan disbursement",
        )
    ]


def test_a_loan_in_flight_is_still_the_members_one_live_loan_and_takes_no_repayment(
    book, b2c_gateway
):
    loan = sent_by_mpesa(book, approved_loan(book))

    with pytest.raises(ConflictError) as second:
        loan_apply(
            chama=book.chama,
            membership=book.borrower,
            acting=book.borrower,
            principal=Decimal("100.00"),
            term_months=1,
        )
    with pytest.raises(ConflictError) as repaid:
        loan_repay(loan=loan, amount=Decimal("100.00"), method=PaymentMethod.CASH)
    with pytest.raises(ConflictError) as again:
        sent_by_mpesa(book, loan)

    assert (second.value.code, repaid.value.code) == ("active_loan_exists", "loan_closed")
    assert (again.value.code, again.value.message) == (
        "loan_not_approved",
        FinanceError.LOAN_NOT_APPROVED.render(status="disbursed"),
    )
    assert Loan.objects.count() == 1


def test_the_chama_cannot_send_more_than_the_paybill_holds(book, b2c_gateway):
    # Given 30,000 in the paybill and a policy that lends up to ten times savings
    policy = book.chama.loan_policy
    policy.max_savings_multiple = Decimal("10")
    policy.save()
    loan = approved_loan(book, principal="30612.25")  # 30,000.01 after the 2% fee
    entries = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as short:
        sent_by_mpesa(book, loan)

    assert (short.value.code, short.value.message) == (
        "insufficient_funds",
        "1010 M-Pesa paybill holds KES 30,000.00: it cannot pay out KES 30,000.01.",
    )
    assert JournalEntry.objects.count() == entries
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.APPROVED
    assert b2c_gateway.transfers == []


def test_a_cash_disbursement_stays_one_phase_and_is_active_at_once(book, b2c_gateway):
    # Given 10,000 more saved in cash, and an approved loan of 5,000 (fee 100)
    contribution_record(
        chama=book.chama,
        membership=book.chair,
        amount=Decimal("10000.00"),
        method=PaymentMethod.CASH,
    )
    loan = approved_loan(book, principal="5000.00")

    result = loan_disburse(loan=loan, acting=book.treasurer, method=PayoutMethod.CASH)

    assert result.status == LoanStatus.ACTIVE
    assert result.disbursed_at is not None
    assert (result.disbursement_reference, result.disbursement_sent_entry) == (None, None)
    entry = result.disbursement_entry
    assert entry.idempotency_key == f"loan:{loan.pk}:disbursed"
    assert legs(entry) == [
        ("1030", "C", Decimal("4900.00")),
        ("1100", "D", Decimal("5000.00")),
        ("4100", "C", Decimal("100.00")),
    ]
    assert balance(book.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert b2c_gateway.transfers == []
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")


def test_mpesa_disbursement_is_unavailable_until_a_gateway_is_registered(
    book, without_mpesa_gateway
):
    loan = approved_loan(book)

    with pytest.raises(ValidationFailed) as caught:
        sent_by_mpesa(book, loan)

    assert (caught.value.code, caught.value.field) == ("method_unavailable", "method")
    assert caught.value.message == FinanceError.METHOD_UNAVAILABLE.render(method="mpesa")
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.APPROVED
