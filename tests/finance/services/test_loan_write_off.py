"""Writing off a defaulted loan: its principal is an expense (Dr 5500), its penalties never
collected reverse the income they were booked to (Dr 4200), and the loan's books end at zero.
What the borrower pays afterwards refunds the guarantors first and is then bad debts
recovered (Cr 4400), never loans receivable."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance import chart
from finance.choices import EntryType, LoanStatus
from finance.models import JournalEntry
from finance.selectors import trial_balance_get
from finance.services.loans import (
    loan_apply,
    loan_approve,
    loan_disburse,
    loan_penalties_run,
    loan_recover_from_guarantors,
    loan_write_off,
)
from tests.finance.books import balance, legs
from tests.finance.recoveries import Guaranteed, default, guaranteed_loan, on

pytestmark = pytest.mark.django_db

D = Decimal
C, DR = "C", "D"


def write_off(book: Guaranteed, day: str = "2026-07-01") -> JournalEntry:
    with on(day):
        loan = loan_write_off(loan=book.loan, acting=book.chair, reason="Member left the country")
    assert loan.status == LoanStatus.WRITTEN_OFF
    return JournalEntry.objects.get(entry_type=EntryType.LOAN_WRITE_OFF)


def penalties_receivable(book: Guaranteed) -> Decimal:
    return balance(book.chama, chart.FINES_RECEIVABLE, member=book.borrower)


def penalty_income(book: Guaranteed) -> Decimal:
    """4200 as income: its credit balance."""
    return -balance(book.chama, chart.FINES_INCOME)


def this_loans_unpaid(book: Guaranteed) -> tuple[Decimal, Decimal]:
    installments = list(book.loan.installments.all())
    return (
        sum((i.unpaid_principal for i in installments), D("0")),
        sum((i.unpaid_penalty for i in installments), D("0")),
    )


def test_write_off_clears_this_loans_penalties_and_principal_only():
    # Given the 6,000.00 loan (3,600.00 due 10 Feb and 10 Mar) charged 5% of an overdue
    # installment a month: on 15 March, 2 periods of the first (360.00) and 1 of the second
    # (180.00); the borrower pays 200.00, which settles penalty
    book = guaranteed_loan()
    with on("2026-03-15"):
        assert loan_penalties_run() == 3
    book.pay("200.00", "2026-03-15")
    default(book)
    # and, the first loan no longer live, a second loan of 1,000.00 over a month (1,100.00,
    # due 20 June) whose one period late on 1 July costs 55.00; the first loan meanwhile
    # runs to 5 periods (900.00) and 4 periods (720.00)
    with on("2026-05-20"):
        second = loan_apply(
            chama=book.chama,
            membership=book.borrower,
            acting=book.borrower,
            principal=D("1000.00"),
            term_months=1,
        )
        second = loan_approve(loan=second, acting=book.chair)
        loan_disburse(loan=second, acting=book.treasurer, method="cash")
    with on("2026-07-01"):
        assert loan_penalties_run() == 7
    assert penalties_receivable(book) == D("1475.00")  # 900 + 720 + 55 - 200 paid
    assert penalty_income(book) == D("1675.00")
    assert balance(book.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == D("7000.00")
    assert this_loans_unpaid(book) == (D("6000.00"), D("1420.00"))

    # When the first loan is written off
    entry = write_off(book)

    # Then its principal is an expense and its 1,420.00 of unpaid penalties reverse the
    # income booked for them; the second loan's 55.00 penalty stays owed
    assert legs(entry) == [
        (chart.LOANS_RECEIVABLE, C, D("6000.00")),
        (chart.FINES_RECEIVABLE, C, D("1420.00")),
        (chart.FINES_INCOME, DR, D("1420.00")),
        (chart.WRITE_OFFS, DR, D("6000.00")),
    ]
    assert this_loans_unpaid(book) == (D("0.00"), D("0.00"))
    assert penalties_receivable(book) == D("55.00")
    assert penalty_income(book) == D("255.00")  # 200.00 collected + the second loan's 55.00
    assert balance(book.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == D("1000.00")
    assert balance(book.chama, chart.WRITE_OFFS) == D("6000.00")
    assert trial_balance_get(chama=book.chama) == D("0.00")


def test_a_payment_after_write_off_is_bad_debts_recovered_up_to_what_was_written_off():
    # Given the loan written off with nothing paid: 6,000.00 of principal, no penalties
    book = guaranteed_loan()
    default(book)
    write_off(book)
    assert balance(book.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == D("0.00")

    # When the borrower pays 1,000.00
    first = book.pay("1000.00", "2026-07-10")

    # Then it is income recovered, and loans receivable is not touched
    assert legs(first.entry) == [
        (chart.CASH, DR, D("1000.00")),
        (chart.BAD_DEBTS_RECOVERED, C, D("1000.00")),
    ]
    assert (first.recovered, first.refunded, first.excess) == (D("1000.00"), D("0.00"), D("0"))
    assert not first.allocations.exists()
    assert balance(book.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == D("0.00")

    # When the borrower pays 5,500.00: 5,000.00 is left of what was written off
    second = book.pay("5500.00", "2026-07-20")

    assert legs(second.entry) == [
        (chart.CASH, DR, D("5500.00")),
        (chart.MEMBER_CREDIT, C, D("500.00")),
        (chart.BAD_DEBTS_RECOVERED, C, D("5000.00")),
    ]
    assert balance(book.chama, chart.BAD_DEBTS_RECOVERED) == D("-6000.00")
    assert trial_balance_get(chama=book.chama) == D("0.00")

    # When anything more is paid, the loan takes it no more
    entries = JournalEntry.objects.count()
    with pytest.raises(ConflictError) as caught:
        book.pay("10.00", "2026-07-21")
    assert (caught.value.code, caught.value.message) == (
        "loan_closed",
        "This loan is written_off: it takes no more repayments.",
    )
    assert JournalEntry.objects.count() == entries


def test_after_recovery_and_write_off_a_payment_refunds_the_guarantors_before_income():
    # Given the loan recovered from its guarantors (3,000.00) and the rest written off
    book = guaranteed_loan()
    default(book)
    with on("2026-05-20"):
        loan_recover_from_guarantors(loan=book.loan, acting=book.chair)
    entry = write_off(book)
    assert legs(entry) == [
        (chart.LOANS_RECEIVABLE, C, D("3000.00")),
        (chart.WRITE_OFFS, DR, D("3000.00")),
    ]
    assert this_loans_unpaid(book) == (D("0.00"), D("0.00"))

    # When the borrower pays 4,000.00
    repayment = book.pay("4000.00", "2026-07-10")

    # Then the guarantors get their 3,000.00 back first and 1,000.00 is recovered income
    assert legs(repayment.entry) == [
        (chart.CASH, DR, D("4000.00")),
        (chart.MEMBER_SAVINGS, C, D("1000.00")),
        (chart.MEMBER_SAVINGS, C, D("2000.00")),
        (chart.BAD_DEBTS_RECOVERED, C, D("1000.00")),
    ]
    assert (book.savings(book.guarantor), book.savings(book.chair)) == (D("3000.00"),) * 2
    assert balance(book.chama, chart.LOANS_RECEIVABLE, member=book.borrower) == D("0.00")
    assert trial_balance_get(chama=book.chama) == D("0.00")


def test_a_loan_not_defaulted_cannot_be_written_off():
    book = guaranteed_loan()

    with on("2026-02-01"), pytest.raises(ConflictError) as caught:
        loan_write_off(loan=book.loan, acting=book.chair, reason="too early")

    assert (caught.value.code, caught.value.message) == (
        "loan_not_defaulted",
        "Only a defaulted loan can be written off; this one is active.",
    )
    assert not JournalEntry.objects.filter(entry_type=EntryType.LOAN_WRITE_OFF).exists()
