"""A member's loan over a year, in accounting language: borrow, pay two installments on time,
miss one (one penalty however often the job runs), pay late, overpay into member credit."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from finance import chart
from finance.choices import InstallmentStatus, LoanStatus, PaymentMethod
from finance.models import Installment, LedgerAccount
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.cycles import cycle_create
from finance.services.ledger import ledger_account_get
from finance.services.loans import (
    loan_apply,
    loan_approve,
    loan_disburse,
    loan_penalties_run,
    loan_repay,
)
from groups.choices import CycleFrequency, Plan, Role
from tests.factories import add_member, appoint, make_chama

pytestmark = pytest.mark.django_db


def on(day: str):
    return time_machine.travel(f"{day} 10:00 +0300", tick=False)


def balance(chama, code, **owner):
    return ledger_account_get(chama=chama, code=code, **owner).cached_balance


def subledger_equals_control(chama):
    """Σ principal still owed on the installments = Σ of the loans-receivable accounts."""
    owed = sum(
        (i.principal - i.paid_principal for i in Installment.objects.filter(loan__chama=chama)),
        Decimal("0.00"),
    )
    control = sum(
        (
            a.cached_balance
            for a in LedgerAccount.objects.filter(chama=chama, code=chart.LOANS_RECEIVABLE)
        ),
        Decimal("0.00"),
    )
    return owed == control


def test_a_loan_year():
    with on("2025-11-01"):
        # A table-banking chama: 5,000 a month, all of it savings, paid in cash
        chama = make_chama(
            name="Jirani Table Banking",
            contribution_amount=Decimal("5000.00"),
            cycle_frequency=CycleFrequency.MONTHLY,
            plan=Plan.PREMIUM,
        )
        chair = chama.memberships.get()
        treasurer, borrower = add_member(chama), add_member(chama)
        appoint(treasurer, Role.TREASURER, by=chair)
        cycle_create(chama=chama, start_date=date(2025, 11, 1))
        for member in (chair, treasurer, borrower):
            contribution_record(
                chama=chama,
                membership=member,
                amount=Decimal("10000.00"),
                method=PaymentMethod.CASH,
            )
        assert balance(chama, chart.MEMBER_SAVINGS, member=borrower) == Decimal("-10000.00")
        assert balance(chama, chart.CASH) == Decimal("30000.00")

    with on("2026-01-05"):
        # Borrow 15,000 flat at 10% a month over 3 months: 19,500 repayable, 6,500 a month
        loan = loan_apply(
            chama=chama,
            membership=borrower,
            acting=borrower,
            principal=Decimal("15000.00"),
            term_months=3,
            interest_rate=Decimal("0.10"),
            interest_rate_period="month",
            interest_method="flat",
        )
        loan = loan_approve(loan=loan, acting=chair)
        schedule = list(loan.installments.order_by("number"))
        assert [(i.due_date, i.principal, i.interest, i.total) for i in schedule] == [
            (date(2026, 2, 5), Decimal("5000.00"), Decimal("1500.00"), Decimal("6500.00")),
            (date(2026, 3, 5), Decimal("5000.00"), Decimal("1500.00"), Decimal("6500.00")),
            (date(2026, 4, 5), Decimal("5000.00"), Decimal("1500.00"), Decimal("6500.00")),
        ]
        loan_disburse(loan=loan, acting=treasurer, method="cash")
        assert balance(chama, chart.LOANS_RECEIVABLE, member=borrower) == Decimal("15000.00")
        assert balance(chama, chart.CASH) == Decimal("15000.00")
        assert trial_balance_get(chama=chama) == Decimal("0.00")
        assert subledger_equals_control(chama)

    # Two installments on time
    for day in ("2026-02-01", "2026-03-03"):
        with on(day):
            loan_repay(loan=loan, amount=Decimal("6500.00"), method=PaymentMethod.CASH)
            assert loan_penalties_run() == 0
            assert trial_balance_get(chama=chama) == Decimal("0.00")
            assert subledger_equals_control(chama)
    assert [i.status for i in loan.installments.order_by("number")] == [
        InstallmentStatus.PAID,
        InstallmentStatus.PAID,
        InstallmentStatus.PENDING,
    ]

    # The third is missed: 15 days late, one penalty of 5% of 6,500, however often the job runs
    with on("2026-04-20"):
        assert [loan_penalties_run(), loan_penalties_run(), loan_penalties_run()] == [1, 0, 0]
        third = loan.installments.get(number=3)
        assert third.penalty_charged == Decimal("325.00")
        assert balance(chama, chart.FINES_RECEIVABLE, member=borrower) == Decimal("325.00")
        assert balance(chama, chart.FINES_INCOME) == Decimal("-325.00")
        assert trial_balance_get(chama=chama) == Decimal("0.00")

    # Paid late with 175 too much: penalty, interest, principal, then member credit
    with on("2026-04-25"):
        repayment = loan_repay(loan=loan, amount=Decimal("7000.00"), method=PaymentMethod.CASH)
        parts = repayment.allocations.get()
        assert (parts.penalty, parts.interest, parts.principal, repayment.excess) == (
            Decimal("325.00"),
            Decimal("1500.00"),
            Decimal("5000.00"),
            Decimal("175.00"),
        )
        loan.refresh_from_db()
        assert loan.status == LoanStatus.REPAID
        assert balance(chama, chart.LOANS_RECEIVABLE, member=borrower) == Decimal("0.00")
        assert balance(chama, chart.FINES_RECEIVABLE, member=borrower) == Decimal("0.00")
        assert balance(chama, chart.INTEREST_INCOME) == Decimal("-4500.00")
        assert balance(chama, chart.MEMBER_CREDIT, member=borrower) == Decimal("-175.00")
        assert balance(chama, chart.CASH) == Decimal("35000.00")
        assert trial_balance_get(chama=chama) == Decimal("0.00")
        assert subledger_equals_control(chama)

    with on("2026-12-31"):
        assert loan_penalties_run() == 0
