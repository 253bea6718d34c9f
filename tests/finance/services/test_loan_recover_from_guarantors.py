"""A defaulted loan recovered from its guarantors' savings: the recovery settles the principal
of the oldest installments, and the borrower's later repayments give the guarantors their
money back first, pro rata by what each lost, before anything else of the loan."""

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from core.money import money
from finance import chart
from finance.choices import EntryType, InstallmentStatus, LoanStatus
from finance.exceptions import FinanceError
from finance.models import JournalEntry
from finance.selectors import loan_list, loan_payoff_get, trial_balance_get
from finance.services.loans import loan_recover_from_guarantors
from tests.finance.books import legs
from tests.finance.recoveries import Guaranteed, default, guaranteed_loan, on

pytestmark = pytest.mark.django_db

D = Decimal
C, DR = "C", "D"


def recover(book: Guaranteed) -> JournalEntry:
    with on("2026-05-20"):
        loan_recover_from_guarantors(loan=book.loan, acting=book.chair)
    return JournalEntry.objects.get(entry_type=EntryType.GUARANTOR_RECOVERY)


def derived(book: Guaranteed) -> tuple[Decimal, Decimal, Decimal]:
    """The loan list's total_repayable, amount_repaid and outstanding, to the cent."""
    row = loan_list(chama=book.chama).get(pk=book.loan.pk)
    return money(row.total_repayable), money(row.amount_repaid), money(row.outstanding)


def assert_books_agree(book: Guaranteed, receivable: str) -> None:
    """The schedule's unpaid principal is the loan's 1100-M, and the books balance."""
    assert book.receivable() == book.schedule_principal() == D(receivable)
    assert trial_balance_get(chama=book.chama) == D("0.00")


def installment_parts(book: Guaranteed) -> list[tuple[Decimal, Decimal, Decimal, str]]:
    return [
        (i.principal_recovered, i.paid_interest, i.paid_principal, i.status)
        for i in book.loan.installments.order_by("number")
    ]


def test_recovered_then_repaid_in_two_payments_leaves_every_guarantor_whole():
    # Given a 6,000.00 loan (7,200.00 repayable) guaranteed 2,000.00 by seat 3 and 1,000.00
    # by the chair, defaulted with nothing paid
    book = guaranteed_loan()
    default(book)
    assert (book.savings(book.guarantor), book.savings(book.chair)) == (D("3000.00"),) * 2
    assert_books_agree(book, "6000.00")

    # When it is recovered: the guarantees cover 3,000.00 of the 6,000.00 principal
    entry = recover(book)

    # Then each guarantor gives their guarantee, and the 3,000.00 settles the oldest principal
    assert legs(entry) == [
        (chart.LOANS_RECEIVABLE, C, D("3000.00")),
        (chart.MEMBER_SAVINGS, DR, D("1000.00")),  # the chair
        (chart.MEMBER_SAVINGS, DR, D("2000.00")),  # seat 3
    ]
    assert (book.savings(book.guarantor), book.savings(book.chair)) == (D("1000.00"), D("2000.00"))
    assert [(g.recovered, g.refunded) for g in book.loan.guarantees.order_by("-amount")] == [
        (D("2000.00"), D("0.00")),
        (D("1000.00"), D("0.00")),
    ]
    assert installment_parts(book) == [
        (D("3000.00"), D("0.00"), D("0.00"), InstallmentStatus.PARTIAL),  # its interest is owed
        (D("0.00"), D("0.00"), D("0.00"), InstallmentStatus.PENDING),
    ]
    assert_books_agree(book, "3000.00")
    # The borrower still owes it all: 3,000.00 to the guarantors, 4,200.00 to the chama
    assert derived(book) == (D("7200.00"), D("0.00"), D("7200.00"))

    # When the borrower pays 1,000.00: all of it goes back to the guarantors, 2:1 by what each
    # lost; a third of 1,000.00 needs the largest remainder (666.666… and 333.333…)
    first = book.pay("1000.00", "2026-06-01")

    assert legs(first.entry) == [
        (chart.CASH, DR, D("1000.00")),
        (chart.MEMBER_SAVINGS, C, D("333.33")),  # the chair
        (chart.MEMBER_SAVINGS, C, D("666.67")),  # seat 3: the larger remainder takes the cent
    ]
    assert (first.refunded, first.excess) == (D("1000.00"), D("0.00"))
    assert not first.allocations.exists()
    assert (book.savings(book.guarantor), book.savings(book.chair)) == (D("1666.67"), D("2333.33"))
    assert_books_agree(book, "3000.00")
    assert derived(book) == (D("7200.00"), D("1000.00"), D("6200.00"))
    book.loan.refresh_from_db()
    assert book.loan.status == LoanStatus.DEFAULTED

    # When the borrower pays 6,250.00: the guarantors' last 2,000.00 first, then the interest
    # of both installments and the second's principal, and 50.00 over as member credit
    second = book.pay("6250.00", "2026-06-15")

    assert legs(second.entry) == [
        (chart.CASH, DR, D("6250.00")),
        (chart.LOANS_RECEIVABLE, C, D("3000.00")),
        (chart.MEMBER_SAVINGS, C, D("666.67")),  # the chair
        (chart.MEMBER_SAVINGS, C, D("1333.33")),  # seat 3
        (chart.MEMBER_CREDIT, C, D("50.00")),
        (chart.INTEREST_INCOME, C, D("1200.00")),
    ]
    assert (second.refunded, second.excess) == (D("2000.00"), D("50.00"))
    # Then every guarantor is back where they were before the recovery, and the loan is repaid
    assert (book.savings(book.guarantor), book.savings(book.chair)) == (D("3000.00"),) * 2
    assert [(g.recovered, g.refunded) for g in book.loan.guarantees.order_by("-amount")] == [
        (D("2000.00"), D("2000.00")),
        (D("1000.00"), D("1000.00")),
    ]
    assert installment_parts(book) == [
        (D("3000.00"), D("600.00"), D("0.00"), InstallmentStatus.PAID),
        (D("0.00"), D("600.00"), D("3000.00"), InstallmentStatus.PAID),
    ]
    assert_books_agree(book, "0.00")
    book.loan.refresh_from_db()
    assert book.loan.status == LoanStatus.REPAID
    assert derived(book) == (D("7200.00"), D("7200.00"), D("0.00"))


def test_a_partial_repayment_after_recovery_refunds_first_and_the_rest_stays_owed():
    # Given the loan recovered: the guarantors are owed 3,000.00, the chama 4,200.00
    book = guaranteed_loan()
    default(book)
    recover(book)
    payoff = loan_payoff_get(loan=book.loan, on=date(2026, 6, 1))
    assert (payoff.guarantors, payoff.principal, payoff.interest, payoff.total) == (
        D("3000.00"),
        D("3000.00"),
        D("1200.00"),
        D("7200.00"),
    )

    # When the borrower pays 4,000.00
    repayment = book.pay("4000.00", "2026-06-01")

    # Then 3,000.00 makes the guarantors whole and 1,000.00 pays interest, oldest first
    assert legs(repayment.entry) == [
        (chart.CASH, DR, D("4000.00")),
        (chart.MEMBER_SAVINGS, C, D("1000.00")),
        (chart.MEMBER_SAVINGS, C, D("2000.00")),
        (chart.INTEREST_INCOME, C, D("1000.00")),
    ]
    assert (book.savings(book.guarantor), book.savings(book.chair)) == (D("3000.00"),) * 2
    assert installment_parts(book) == [
        (D("3000.00"), D("600.00"), D("0.00"), InstallmentStatus.PAID),
        (D("0.00"), D("400.00"), D("0.00"), InstallmentStatus.PARTIAL),
    ]
    # And the rest of the loan stays owed: 3,000.00 principal and 200.00 interest
    assert_books_agree(book, "3000.00")
    book.loan.refresh_from_db()
    assert book.loan.status == LoanStatus.DEFAULTED
    assert derived(book) == (D("7200.00"), D("4000.00"), D("3200.00"))
    payoff = loan_payoff_get(loan=book.loan, on=date(2026, 6, 1))
    assert (payoff.guarantors, payoff.total) == (D("0.00"), D("3200.00"))


def test_recovering_again_with_nothing_left_to_take_is_refused_and_writes_nothing():
    # Given a loan whose guarantees were taken in full
    book = guaranteed_loan()
    default(book)
    recover(book)
    entries = JournalEntry.objects.count()

    # When an official recovers again
    with on("2026-05-21"), pytest.raises(ConflictError) as caught:
        loan_recover_from_guarantors(loan=book.loan, acting=book.chair)

    # Then it is refused, naming what is outstanding and what the guarantees still cover
    assert (caught.value.code, caught.value.message) == (
        "nothing_to_recover",
        FinanceError.NOTHING_TO_RECOVER.render(principal="3,000.00", cover="0.00"),
    )
    assert caught.value.message == (
        "Nothing is left to recover from this loan's guarantors: 3,000.00 of principal is "
        "outstanding and their guarantees have 0.00 left to cover."
    )
    assert JournalEntry.objects.count() == entries
    assert [g.recovered for g in book.loan.guarantees.order_by("-amount")] == [
        D("2000.00"),
        D("1000.00"),
    ]
    assert (book.savings(book.guarantor), book.savings(book.chair)) == (D("1000.00"), D("2000.00"))
    assert_books_agree(book, "3000.00")


def test_a_loan_not_defaulted_cannot_be_recovered():
    book = guaranteed_loan()

    with on("2026-02-01"), pytest.raises(ConflictError) as caught:
        loan_recover_from_guarantors(loan=book.loan, acting=book.chair)

    assert (caught.value.code, caught.value.message) == (
        "loan_not_defaulted",
        "Only a defaulted loan can be recovered; this one is active.",
    )
    assert not JournalEntry.objects.filter(entry_type=EntryType.GUARANTOR_RECOVERY).exists()
