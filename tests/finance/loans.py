"""Loan state for tests, made only by calling the services."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from finance.choices import PayoutMethod
from finance.models import Loan
from finance.services.loans import (
    guarantee_decide,
    loan_apply,
    loan_approve,
    loan_disburse,
    loan_policy_get,
)
from groups.choices import Role
from groups.models import Chama, Membership
from tests.factories import appoint
from tests.finance.factories import merry_go_round, pay_by_mpesa


@dataclass
class LoanBook:
    chama: Chama
    chair: Membership
    treasurer: Membership
    borrower: Membership


def loan_book(fee_rate: str = "0.02") -> LoanBook:
    """Three members have saved 10,000 each by M-Pesa (30,000 in the paybill); seat 2 is the
    treasurer and seat 3 borrows; the policy keeps a processing fee of 2% at disbursement."""
    chama, seats, _ = merry_go_round(members=3, amount="10000.00", savings_amount="10000.00")
    chair, treasurer, borrower = seats
    appoint(treasurer, Role.TREASURER, by=chair)
    pay_by_mpesa(chama, seats, "10000.00", "LB1234567")
    policy = loan_policy_get(chama=chama)
    policy.processing_fee_rate = Decimal(fee_rate)
    policy.save()
    return LoanBook(chama, chair, treasurer, borrower)


def approved_loan(
    book: LoanBook,
    principal: str = "15000.00",
    guarantors: Sequence[tuple[Membership, str]] = (),
) -> Loan:
    """15,000 flat at 0.10 a month over 3 months (6,500 a month), approved by the chair; the
    ``guarantors`` named (member, amount) accept first."""
    loan = loan_apply(
        chama=book.chama,
        membership=book.borrower,
        acting=book.borrower,
        principal=Decimal(principal),
        term_months=3,
        interest_rate=Decimal("0.10"),
        interest_rate_period="month",
        interest_method="flat",
        guarantors=[(member, Decimal(amount)) for member, amount in guarantors],
    )
    for guarantee in loan.guarantees.all():
        guarantee_decide(guarantee=guarantee, acting=guarantee.guarantor, accept=True)
    return loan_approve(loan=loan, acting=book.chair)


def sent_by_mpesa(book: LoanBook, loan: Loan) -> Loan:
    """Disbursed through the registered two-phase gateway: in flight."""
    return loan_disburse(loan=loan, acting=book.treasurer, method=PayoutMethod.MPESA)


def lent_in_cash(lending: dict, borrower: Membership, principal: str, term_months: int = 3) -> Loan:
    """In the ``lending`` book: ``borrower`` applies, the chair approves and the treasurer pays
    the loan out in cash (on the policy's own terms)."""
    chair, treasurer = lending["seats"][0], lending["seats"][1]
    loan = loan_apply(
        chama=lending["chama"],
        membership=borrower,
        acting=borrower,
        principal=Decimal(principal),
        term_months=term_months,
    )
    return loan_disburse(
        loan=loan_approve(loan=loan, acting=chair), acting=treasurer, method="cash"
    )
