"""M-Pesa confirms a loan sent by B2C: loans receivable for the principal, payouts in flight
cleared, the fee earned; the loan is active and its schedule runs from when the money
arrived."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from core.exceptions import ConflictError
from finance import chart
from finance.choices import EntryType, LoanStatus, PaymentMethod
from finance.exceptions import FinanceError
from finance.models import JournalEntry, Loan
from finance.selectors import trial_balance_get
from finance.services.in_flight import TRANSFER_SOURCE
from finance.services.loans import (
    loan_disbursement_fail,
    loan_disbursement_settle,
    loan_penalties_run,
    loan_repay,
)
from tests.finance.books import balance, legs
from tests.finance.loans import approved_loan, loan_book, sent_by_mpesa

pytestmark = pytest.mark.django_db


def on(day: str):
    return time_machine.travel(f"{day} 10:00 +0300", tick=False)


def due_dates(loan):
    return [i.due_date for i in loan.installments.order_by("number")]


def test_settling_books_the_loan_clears_flight_and_earns_the_fee(b2c_gateway):
    # Given a loan of 15,000 (fee 300) sent by M-Pesa: 14,700 in flight
    book = loan_book()
    loan = sent_by_mpesa(book, approved_loan(book))

    # When M-Pesa confirms it with its receipt
    settled = loan_disbursement_settle(loan=loan, receipt="LD12345678")

    # Then one entry: Dr loans receivable 15,000, Cr payouts in flight 14,700, Cr fee 300
    entry = settled.disbursement_entry
    assert entry.entry_type == EntryType.LOAN_DISBURSEMENT
    assert legs(entry) == [
        ("1090", "C", Decimal("14700.00")),
        ("1100", "D", Decimal("15000.00")),
        ("4100", "C", Decimal("300.00")),
    ]
    assert (entry.external_source, entry.external_ref) == (TRANSFER_SOURCE, "LD12345678")
    assert entry.idempotency_key == f"transfer:{loan.disbursement_reference}:outcome"
    assert entry.member == book.borrower
    assert balance(book.chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(book.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == Decimal("15000.00")
    assert balance(book.chama, chart.MPESA_PAYBILL) == Decimal("15300.00")
    assert balance(book.chama, chart.INTEREST_INCOME) == Decimal("-300.00")
    assert trial_balance_get(chama=book.chama) == Decimal("0.00")
    # And the loan is active with its receipt, and takes repayments
    stored = Loan.objects.get(pk=loan.pk)
    assert stored.status == LoanStatus.ACTIVE
    assert stored.disbursed_at is not None
    assert stored.disbursement_receipt == "LD12345678"
    repayment = loan_repay(loan=stored, amount=Decimal("6500.00"), method=PaymentMethod.CASH)
    assert repayment.allocations.get().principal == Decimal("5000.00")


@pytest.mark.parametrize("answer", ["settle", "fail"])
def test_a_second_answer_is_a_conflict_and_writes_nothing(b2c_gateway, answer):
    book = loan_book()
    loan = loan_disbursement_settle(
        loan=sent_by_mpesa(book, approved_loan(book)), receipt="LD12345678"
    )
    entries = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as caught:
        if answer == "settle":
            loan_disbursement_settle(loan=loan, receipt="LD12345678")
        else:
            loan_disbursement_fail(loan=loan, reason="late failure")

    assert (caught.value.code, caught.value.message) == (
        "loan_not_in_flight",
        FinanceError.LOAN_NOT_IN_FLIGHT.render(status="active"),
    )
    assert JournalEntry.objects.count() == entries
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.ACTIVE


def test_an_approved_loan_that_was_never_sent_cannot_be_settled(b2c_gateway):
    book = loan_book()
    loan = approved_loan(book)

    with pytest.raises(ConflictError) as caught:
        loan_disbursement_settle(loan=loan, receipt="LD12345678")

    assert caught.value.message == FinanceError.LOAN_NOT_IN_FLIGHT.render(status="approved")


def test_settled_the_same_day_the_schedule_stored_at_approval_stands(b2c_gateway):
    with on("2026-01-05"):
        book = loan_book()
        loan = sent_by_mpesa(book, approved_loan(book))
        assert due_dates(loan) == [date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 5)]

        loan_disbursement_settle(loan=loan, receipt="LD12345678")

        assert due_dates(loan) == [date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 5)]


def test_money_that_arrives_late_moves_the_schedule_to_a_month_after_it_arrived(b2c_gateway):
    # Given a loan approved and sent on 5 January whose transfer stays in flight
    with on("2026-01-05"):
        book = loan_book()
        loan = sent_by_mpesa(book, approved_loan(book))

    with on("2026-02-10"):
        # While it is in flight no installment is overdue, though the first was due on 5 Feb
        assert loan_penalties_run() == 0

        # When M-Pesa's result arrives at last (after a status query)
        loan_disbursement_settle(loan=loan, receipt="LD12345678")

    # Then the first installment falls due a month after the money arrived, the rest a month
    # apart, amounts unchanged, and nothing is overdue
    assert due_dates(loan) == [date(2026, 3, 10), date(2026, 4, 10), date(2026, 5, 10)]
    assert [i.total for i in loan.installments.order_by("number")] == [Decimal("6500.00")] * 3
    with on("2026-03-10"):
        assert loan_penalties_run() == 0
