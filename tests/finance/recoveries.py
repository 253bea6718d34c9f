"""A guaranteed loan that goes bad, made only by calling the services."""

from dataclasses import dataclass
from decimal import Decimal

import time_machine

from finance import chart
from finance.choices import LoanStatus, PaymentMethod
from finance.models import Loan
from finance.services.contributions import contribution_record
from finance.services.loans import (
    guarantee_decide,
    loan_apply,
    loan_approve,
    loan_defaults_run,
    loan_disburse,
    loan_repay,
)
from groups.choices import Role
from groups.models import Chama, Membership
from tests.factories import appoint
from tests.finance.books import balance
from tests.finance.factories import merry_go_round


def on(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0300", tick=False)


@dataclass
class Guaranteed:
    chama: Chama
    chair: Membership
    treasurer: Membership
    guarantor: Membership
    borrower: Membership
    loan: Loan

    def savings(self, member: Membership) -> Decimal:
        """What the chama holds as ``member``'s savings (2100-M, a credit balance)."""
        return -balance(self.chama, chart.MEMBER_SAVINGS, member=member)

    def receivable(self) -> Decimal:
        return balance(self.chama, chart.LOANS_RECEIVABLE, member=self.borrower)

    def schedule_principal(self) -> Decimal:
        """The subledger: Σ unpaid principal over the loan's installments."""
        return sum((i.unpaid_principal for i in self.loan.installments.all()), Decimal("0"))

    def pay(self, amount: str, day: str):
        with on(day):
            return loan_repay(loan=self.loan, amount=Decimal(amount), method=PaymentMethod.CASH)


def guaranteed_loan() -> Guaranteed:
    """Four members save 3,000.00 each in cash (12,000.00 in the cash box). On 10 January 2026
    seat 4 borrows 6,000.00 flat at 0.10 a month over 2 months — 3,600.00 due 10 February and
    10 March, each 3,000.00 principal + 600.00 interest — guaranteed 2,000.00 by seat 3 and
    1,000.00 by the chair (seat 1), approved by the chair and paid out in cash by the
    treasurer (seat 2). The policy's penalty is 5% of the overdue installment a month."""
    with on("2026-01-10"):
        chama, seats, _ = merry_go_round(members=4, amount="3000.00", savings_amount="3000.00")
        chair, treasurer, guarantor, borrower = seats
        appoint(treasurer, Role.TREASURER, by=chair)
        for member in seats:
            contribution_record(
                chama=chama, membership=member, amount=Decimal("3000.00"), method="cash"
            )
        loan = loan_apply(
            chama=chama,
            membership=borrower,
            acting=borrower,
            principal=Decimal("6000.00"),
            term_months=2,
            guarantors=[(guarantor, Decimal("2000.00")), (chair, Decimal("1000.00"))],
        )
        for guarantee in loan.guarantees.all():
            guarantee_decide(guarantee=guarantee, acting=guarantee.guarantor, accept=True)
        loan = loan_approve(loan=loan, acting=chair)
        loan = loan_disburse(loan=loan, acting=treasurer, method="cash")
    return Guaranteed(chama, chair, treasurer, guarantor, borrower, loan)


def default(book: Guaranteed, day: str = "2026-05-20") -> None:
    """The default job runs more than 90 days after the first due date (10 February)."""
    with on(day):
        assert loan_defaults_run() == 1
    book.loan.refresh_from_db()
    assert book.loan.status == LoanStatus.DEFAULTED
