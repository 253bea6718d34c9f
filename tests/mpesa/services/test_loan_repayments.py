"""Repaying a loan by M-Pesa: a prompt for the loan, or the paybill with an ``L`` account."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from finance import chart
from finance.choices import InstallmentStatus, LoanStatus
from finance.gateways import TransferKind
from finance.models import LoanRepayment
from finance.selectors import trial_balance_get
from finance.services.loans import loan_defaults_run, loan_recover_from_guarantors
from finance.services.transfers import transfer_settle
from mpesa.choices import C2BStatus, CallbackKind, PaymentPurpose, StkStatus
from mpesa.models import C2BPayment
from tests.finance.books import balance, legs
from tests.finance.loans import approved_loan, loan_book, sent_by_mpesa
from tests.mpesa.daraja import c2b, deliver, pending_stk, stk_success

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_loan(b2c_gateway):
    """15,000 flat at 10% a month over 3 months (6,500 a month), sent by B2C and paid out."""
    book = loan_book()
    loan = sent_by_mpesa(book, approved_loan(book))
    loan = transfer_settle(kind=TransferKind.LOAN, object_id=loan.pk, receipt="SIF0LOAN01")
    assert loan.status == LoanStatus.ACTIVE
    return book, loan


def test_a_prompt_for_the_loan_pays_its_first_installment(client, active_loan):
    book, loan = active_loan
    phone = book.borrower.receive_phone
    request = pending_stk(
        book.borrower,
        amount="6500",
        phone=phone,
        purpose=PaymentPurpose.LOAN_REPAYMENT,
        loan=loan,
    )

    deliver(
        client,
        CallbackKind.STK,
        stk_success(request.checkout_request_id, amount=6500, phone=int(phone)),
    )

    request.refresh_from_db()
    assert request.status == StkStatus.SUCCEEDED
    repayment = request.repayment
    assert (repayment.amount, repayment.mpesa_receipt) == (Decimal("6500.00"), "SIF3XK7P2Q")
    first = loan.installments.get(number=1)
    assert first.status == InstallmentStatus.PAID
    assert balance(loan.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == Decimal("10000.00")
    assert trial_balance_get(chama=loan.chama) == Decimal("0.00")


def test_the_paybill_with_an_l_account_repays_the_loan(client, active_loan):
    book, loan = active_loan
    account = f"{book.chama.code}{book.borrower.member_code}L"

    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(account, amount="6500.00"))

    repayment = LoanRepayment.objects.get()
    assert (repayment.loan, repayment.amount) == (loan, Decimal("6500.00"))
    assert C2BPayment.objects.get().status == C2BStatus.CREDITED
    assert loan.installments.get(number=1).status == InstallmentStatus.PAID


def test_validation_accepts_an_l_account_while_the_loan_is_repaid(client, active_loan):
    book, _ = active_loan
    data = c2b(f"{book.chama.code}{book.borrower.member_code}L", amount="6500")

    answer = deliver(client, CallbackKind.C2B_VALIDATION, data).json()

    assert answer == {"ResultCode": "0", "ResultDesc": "Accepted"}


def test_a_prompt_after_guarantor_recovery_refunds_the_guarantors_first(client, b2c_gateway):
    # Given the 15,000 loan guaranteed 6,000 by the chair and 3,000 by the treasurer, paid
    # out by B2C, defaulted and recovered: 9,000 from their savings settles the principal of
    # installment 1 (5,000) and 4,000 of installment 2's
    book = loan_book()
    loan = approved_loan(book, guarantors=[(book.chair, "6000.00"), (book.treasurer, "3000.00")])
    loan = sent_by_mpesa(book, loan)
    loan = transfer_settle(kind=TransferKind.LOAN, object_id=loan.pk, receipt="SIF0LOAN02")
    assert loan_defaults_run(today=timezone.localdate() + timedelta(days=200)) == 1
    loan_recover_from_guarantors(loan=loan, acting=book.chair)
    assert balance(loan.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == Decimal("6000.00")

    # When the borrower pays 6,500 by an M-Pesa prompt for the loan
    phone = book.borrower.receive_phone
    request = pending_stk(
        book.borrower, amount="6500", phone=phone, purpose=PaymentPurpose.LOAN_REPAYMENT, loan=loan
    )
    deliver(
        client,
        CallbackKind.STK,
        stk_success(request.checkout_request_id, amount=6500, phone=int(phone)),
    )

    # Then all of it goes back to the guarantors, 2:1 by what each lost (largest remainder)
    request.refresh_from_db()
    repayment = request.repayment
    assert legs(repayment.entry) == [
        (chart.MPESA_PAYBILL, "D", Decimal("6500.00")),
        (chart.MEMBER_SAVINGS, "C", Decimal("2166.67")),  # the treasurer
        (chart.MEMBER_SAVINGS, "C", Decimal("4333.33")),  # the chair
    ]
    saved = [
        -balance(loan.chama, chart.MEMBER_SAVINGS, member=m) for m in (book.chair, book.treasurer)
    ]
    assert saved == [Decimal("8333.33"), Decimal("9166.67")]
    # And the loan's 6,000 of principal stays owed, in the schedule as in 1100-M
    assert balance(loan.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == Decimal("6000.00")
    unpaid = sum((i.unpaid_principal for i in loan.installments.all()), Decimal("0"))
    assert unpaid == Decimal("6000.00")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DEFAULTED
    assert trial_balance_get(chama=loan.chama) == Decimal("0.00")
