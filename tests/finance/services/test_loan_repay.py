"""Paying a loan off early: a repayment that covers the payoff amount on its date settles the
loan, the interest its rule lets go is recorded as waived on the installments, and only the
interest actually received is income (cash basis), so the waiver posts nothing."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from core.exceptions import PermissionDeniedError, ValidationFailed
from core.money import money
from finance import chart
from finance.choices import EarlyRepayment, InstallmentStatus, LoanStatus, PaymentMethod
from finance.exceptions import FinanceError
from finance.models import JournalEntry
from finance.selectors import loan_list, loan_payoff_get, trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.ledger import ledger_account_get
from finance.services.loans import (
    loan_apply,
    loan_approve,
    loan_disburse,
    loan_penalties_run,
    loan_policy_get,
    loan_repay,
)
from groups.choices import Role
from tests.factories import appoint
from tests.finance.factories import merry_go_round

pytestmark = pytest.mark.django_db

D = Decimal


def on(day: str):
    return time_machine.travel(f"{day} 10:00 +0300", tick=False)


def balance(chama, code, **owner):
    return ledger_account_get(chama=chama, code=code, **owner).cached_balance


def lend(*, savings: str, principal: str, months: int, day: str, **policy):
    """A savings chama of three (chair, treasurer, borrower) who each pay ``savings`` in cash,
    a policy as given, and the borrower's loan applied for, approved and disbursed on ``day``."""
    with on(day):
        chama, seats, _ = merry_go_round(members=3, amount=savings, savings_amount=savings)
        chair, treasurer, borrower = seats
        appoint(treasurer, Role.TREASURER, by=chair)
        for member in seats:
            contribution_record(
                chama=chama, membership=member, amount=D(savings), method=PaymentMethod.CASH
            )
        loan_policy = loan_policy_get(chama=chama)
        for field, value in policy.items():
            setattr(loan_policy, field, value)
        loan_policy.save()
        loan = loan_apply(
            chama=chama,
            membership=borrower,
            acting=borrower,
            principal=D(principal),
            term_months=months,
        )
        loan = loan_approve(loan=loan, acting=chair)
        loan = loan_disburse(loan=loan, acting=treasurer, method="cash")
    return chama, borrower, loan


def pay(loan, amount: str, day: str):
    with on(day):
        return loan_repay(loan=loan, amount=D(amount), method=PaymentMethod.CASH)


def derived(loan):
    """The list's figures, to the cent (SQLite sums decimals as floats)."""
    row = loan_list(chama=loan.chama).get(pk=loan.pk)
    return money(row.total_repayable), money(row.amount_repaid), money(row.outstanding)


@pytest.fixture
def reducing():
    """100,000.00 at 12% a year over 12 months, reducing balance, interest to date on early
    payoff; disbursed 15 January 2026, installments of 8,884.88 due on the 15th from February
    (interest 1,000.00, 921.15, 841.51, …: money.md's reference loan), two paid on time."""
    chama, borrower, loan = lend(
        savings="40000.00",
        principal="100000.00",
        months=12,
        day="2026-01-15",
        interest_method="reducing_balance",
        interest_rate=D("0.12"),
        interest_rate_period="year",
        early_repayment=EarlyRepayment.INTEREST_TO_DATE,
    )
    pay(loan, "8884.88", "2026-02-14")
    pay(loan, "8884.88", "2026-03-14")
    return chama, borrower, loan


def test_a_reducing_balance_loan_paid_off_mid_month_3_owes_interest_to_that_day(reducing):
    chama, borrower, loan = reducing
    # Balance after two installments: 100,000.00 - 7,884.88 - 7,963.73 = 84,151.39.
    # 30 March is 15 days into the 31-day month ending 15 April:
    # interest to date = 84,151.39 x 0.12 / 12 x 15 / 31 = 407.1841… → 407.18 (half-even).
    # Waived: installment 3's 841.51 - 407.18 = 434.33, plus installments 4-12's 3,855.87
    # (6,618.53 of interest in all - 1,000.00 - 921.15 - 841.51) = 4,290.20.
    # Payoff = 84,151.39 + 407.18 = 84,558.57.
    payoff = loan_payoff_get(loan=loan, on=date(2026, 3, 30))

    assert (payoff.penalties, payoff.principal, payoff.interest, payoff.interest_waived) == (
        D("0.00"),
        D("84151.39"),
        D("407.18"),
        D("4290.20"),
    )
    assert payoff.total == D("84558.57")

    # When the borrower pays 85,000.00 that day
    repayment = pay(loan, "85000.00", "2026-03-30")

    # Then the loan is repaid, 441.43 beyond the payoff is member credit
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REPAID
    assert repayment.excess == D("441.43")
    third = loan.installments.get(number=3)
    assert (third.interest, third.paid_interest, third.interest_waived) == (
        D("841.51"),
        D("407.18"),
        D("434.33"),
    )
    assert sum(i.interest_waived for i in loan.installments.all()) == D("4290.20")
    assert set(loan.installments.values_list("status", flat=True)) == {InstallmentStatus.PAID}
    # total repayable 106,618.53 - 4,290.20 waived = 102,328.33, all of it paid
    assert derived(loan) == (D("102328.33"), D("102328.33"), D("0.00"))
    # And the books: income is the interest received (1,000.00 + 921.15 + 407.18), nothing
    # posts for the waiver, the receivable is cleared and the cash is what came in.
    assert balance(chama, chart.INTEREST_INCOME) == D("-2328.33")
    assert balance(chama, chart.LOANS_RECEIVABLE, member=borrower) == D("0.00")
    assert balance(chama, chart.MEMBER_CREDIT, member=borrower) == D("-441.43")
    # 120,000.00 saved - 100,000.00 lent + 2 x 8,884.88 + 85,000.00
    assert balance(chama, chart.CASH) == D("122769.76")
    assert trial_balance_get(chama=chama) == D("0.00")


def test_a_cent_short_of_the_payoff_is_an_ordinary_repayment(reducing):
    _, _, loan = reducing

    repayment = pay(loan, "84558.56", "2026-03-30")

    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE
    assert repayment.excess == D("0.00")
    assert sum(i.interest_waived for i in loan.installments.all()) == D("0.00")
    # oldest first, all interest scheduled: 106,618.53 - 2 x 8,884.88 - 84,558.56 is left
    assert derived(loan)[2] == D("4290.21")


@pytest.fixture
def flat_with_rebate():
    """15,000.00 flat at 10% a month over 3 months (6,500.00 a month: 5,000.00 + 1,500.00),
    a 50% rebate on the interest not yet due; disbursed 5 January 2026, due on the 5th."""
    return lend(
        savings="10000.00",
        principal="15000.00",
        months=3,
        day="2026-01-05",
        interest_method="flat",
        interest_rate=D("0.10"),
        interest_rate_period="month",
        early_repayment=EarlyRepayment.REBATE,
        early_repayment_rebate_percent=D("50"),
    )


def test_a_flat_loan_paid_off_early_gets_half_the_interest_not_yet_due_back(flat_with_rebate):
    chama, borrower, loan = flat_with_rebate
    pay(loan, "6500.00", "2026-02-05")
    # On 20 February installments 2 and 3 are not yet due: 3,000.00 of interest, 50% rebated
    # = 1,500.00 (750.00 on each). Payoff = 10,000.00 principal + 1,500.00 interest.
    payoff = loan_payoff_get(loan=loan, on=date(2026, 2, 20))
    assert (payoff.principal, payoff.interest, payoff.interest_waived, payoff.total) == (
        D("10000.00"),
        D("1500.00"),
        D("1500.00"),
        D("11500.00"),
    )

    repayment = pay(loan, "11500.00", "2026-02-20")

    loan.refresh_from_db()
    assert (loan.status, repayment.excess) == (LoanStatus.REPAID, D("0.00"))
    assert list(loan.installments.values_list("number", "interest_waived")) == [
        (1, D("0.00")),
        (2, D("750.00")),
        (3, D("750.00")),
    ]
    assert derived(loan) == (D("18000.00"), D("18000.00"), D("0.00"))
    assert balance(chama, chart.INTEREST_INCOME) == D("-3000.00")
    assert balance(chama, chart.LOANS_RECEIVABLE, member=borrower) == D("0.00")
    assert trial_balance_get(chama=chama) == D("0.00")


def test_penalties_charged_are_paid_in_an_early_payoff(flat_with_rebate):
    chama, borrower, loan = flat_with_rebate
    with on("2026-02-20"):  # installment 1 (5 February) missed: 5% of 6,500.00
        assert loan_penalties_run() == 1
    # Owed: the 325.00 penalty, all 15,000.00 of principal, installment 1's 1,500.00 of
    # interest (it is due) and half of the 3,000.00 not yet due = 18,325.00.
    payoff = loan_payoff_get(loan=loan, on=date(2026, 2, 20))
    assert (payoff.penalties, payoff.interest, payoff.total) == (
        D("325.00"),
        D("3000.00"),
        D("18325.00"),
    )

    pay(loan, "18325.00", "2026-02-20")

    loan.refresh_from_db()
    assert loan.status == LoanStatus.REPAID
    assert balance(chama, chart.FINES_RECEIVABLE, member=borrower) == D("0.00")
    assert balance(chama, chart.FINES_INCOME) == D("-325.00")
    assert balance(chama, chart.INTEREST_INCOME) == D("-3000.00")
    assert trial_balance_get(chama=chama) == D("0.00")


def test_full_interest_waives_nothing_and_a_later_policy_change_does_not_reach_the_loan():
    chama, _, loan = lend(savings="10000.00", principal="15000.00", months=3, day="2026-01-05")
    policy = loan_policy_get(chama=chama)
    policy.early_repayment = EarlyRepayment.REBATE
    policy.early_repayment_rebate_percent = D("100")
    policy.save()

    payoff = loan_payoff_get(loan=loan, on=date(2026, 1, 20))

    # the loan keeps the rule it was applied under: the default, full interest
    assert loan.early_repayment == EarlyRepayment.FULL_INTEREST
    assert (payoff.interest, payoff.interest_waived, payoff.total) == (
        D("4500.00"),
        D("0.00"),
        D("19500.00"),
    )


def test_a_repayment_recorded_by_hand_needs_an_official_and_a_date_in_the_books():
    # Given a disbursed loan of 3,000
    chama, borrower, loan = lend(savings="2000.00", principal="3000.00", months=3, day="2026-01-15")
    entries = JournalEntry.objects.count()

    # When the borrower records their own cash repayment, or an official records one dated
    # before the chama's books begin
    with pytest.raises(PermissionDeniedError) as by_member:
        loan_repay(loan=loan, acting=borrower, amount=D("100.00"), method=PaymentMethod.CASH)
    treasurer = chama.memberships.get(role=Role.TREASURER)
    with pytest.raises(ValidationFailed) as too_early:
        loan_repay(
            loan=loan,
            acting=treasurer,
            amount=D("100.00"),
            method=PaymentMethod.CASH,
            paid_at=datetime(2000, 1, 1, tzinfo=UTC),
        )

    # Then both are refused and nothing is booked
    assert (by_member.value.code, by_member.value.message) == (
        "permission_denied",
        FinanceError.REPAYMENTS_OFFICIALS_ONLY.render(),
    )
    assert too_early.value.code == "date_out_of_range"
    assert JournalEntry.objects.count() == entries

    # And the treasurer's repayment is recorded as theirs
    repayment = loan_repay(
        loan=loan, acting=treasurer, amount=D("100.00"), method=PaymentMethod.CASH
    )
    assert repayment.recorded_by == treasurer.user
