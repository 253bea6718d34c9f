"""Applying for and deciding loans: the policy's limits, guarantors, maker-checker, one live
loan per member."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance.choices import GuaranteeStatus, LoanStatus, PaymentMethod
from finance.exceptions import FinanceError
from finance.models import Guarantee, Installment, JournalEntry, Loan
from finance.services.contributions import contribution_record
from finance.services.loans import (
    guarantee_decide,
    loan_apply,
    loan_approve,
    loan_disburse,
    loan_policy_get,
    loan_reject,
    loan_repay,
)
from groups.choices import Role
from groups.services import membership_credit_score_set
from tests.concurrency import run_concurrently
from tests.factories import appoint, make_chama
from tests.finance.factories import merry_go_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def savers():
    """Three members with 10,000 of savings each (paid in cash); seat 2 is the treasurer."""
    chama, seats, _ = merry_go_round(members=3, amount="10000.00", savings_amount="10000.00")
    appoint(seats[1], Role.TREASURER, by=seats[0])
    for member in seats:
        contribution_record(
            chama=chama, membership=member, amount=Decimal("10000.00"), method=PaymentMethod.CASH
        )
    for member in seats:
        member.refresh_from_db()
    return chama, seats


def apply(chama, member, principal="15000.00", **kw):
    return loan_apply(
        chama=chama,
        membership=member,
        acting=kw.pop("acting", member),
        principal=Decimal(principal),
        term_months=kw.pop("term_months", 3),
        **kw,
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"principal": "0.00"}, "invalid_terms"),
        ({"principal": "-100.00"}, "invalid_terms"),
        ({"principal": "100.005"}, "invalid_terms"),
        ({"interest_rate_period": "week"}, "terms_outside_policy"),
        ({"interest_method": "simple"}, "terms_outside_policy"),
        ({"term_months": 13}, "term_out_of_policy"),
        ({"term_months": 0}, "term_out_of_policy"),
        ({"principal": "30000.01"}, "exceeds_savings_multiple"),
    ],
)
def test_bad_terms_are_refused_and_write_nothing(savers, kwargs, code):
    chama, seats = savers

    with pytest.raises(ValidationFailed) as caught:
        apply(chama, seats[2], **kwargs)

    assert caught.value.code == code
    assert Loan.objects.count() == 0


def test_guarantors_must_be_other_active_members(savers):
    chama, seats = savers
    stranger = make_chama(name="Other Group").memberships.get()

    with pytest.raises(ValidationFailed) as own:
        apply(chama, seats[2], guarantors=[(seats[2], Decimal("100.00"))])
    with pytest.raises(ValidationFailed) as outsider:
        apply(chama, seats[2], guarantors=[(stranger, Decimal("100.00"))])

    assert (own.value.code, outsider.value.code) == (
        "guarantor_is_borrower",
        "guarantor_not_member",
    )
    assert own.value.message == FinanceError.GUARANTOR_IS_BORROWER.message
    assert Loan.objects.count() == 0


def test_a_second_live_loan_is_refused(savers):
    chama, seats = savers
    apply(chama, seats[2])

    with pytest.raises(ConflictError) as caught:
        apply(chama, seats[2], principal="100.00")

    assert (caught.value.code, caught.value.message) == (
        "active_loan_exists",
        FinanceError.ACTIVE_LOAN_EXISTS.message,
    )
    assert Loan.objects.count() == 1


def test_maker_checker_and_guarantee_cover(savers):
    chama, seats = savers
    policy = loan_policy_get(chama=chama)
    policy.guarantors_required, policy.guarantee_cover = 1, Decimal("0.5")
    policy.save()
    loan = apply(chama, seats[2], acting=seats[1], guarantors=[(seats[0], Decimal("7500.00"))])

    with pytest.raises(PermissionDeniedError) as by_applicant:
        loan_approve(loan=loan, acting=seats[1])
    assert by_applicant.value.code == "applicant_cannot_approve"
    with pytest.raises(ConflictError) as uncovered:
        loan_approve(loan=loan, acting=seats[0])
    assert uncovered.value.code == "guarantees_insufficient"
    with pytest.raises(PermissionDeniedError):
        guarantee_decide(guarantee=loan.guarantees.get(), acting=seats[1], accept=True)

    guarantee_decide(guarantee=loan.guarantees.get(), acting=seats[0], accept=True)
    approved = loan_approve(loan=loan, acting=seats[0])

    assert approved.status == LoanStatus.APPROVED
    assert Guarantee.objects.get().status == GuaranteeStatus.ACCEPTED
    assert Installment.objects.filter(loan=loan).count() == 3
    with pytest.raises(ConflictError):
        loan_reject(loan=loan, acting=seats[0], reason="late")


def test_a_loan_cannot_exceed_the_cash_the_chama_holds_and_a_closed_loan_takes_no_repayment(savers):
    chama, seats = savers
    policy = loan_policy_get(chama=chama)
    policy.max_savings_multiple = Decimal("10")
    policy.save()
    loan = loan_approve(loan=apply(chama, seats[2], principal="30000.01"), acting=seats[0])

    with pytest.raises(ConflictError) as short:
        loan_disburse(loan=loan, acting=seats[1], method="cash")
    assert short.value.code == "insufficient_funds"
    assert JournalEntry.objects.filter(entry_type="loan_disbursement").count() == 0

    rejected = loan_reject(
        loan=apply(chama, seats[1], principal="100.00"), acting=seats[0], reason="no"
    )
    with pytest.raises(ConflictError) as closed:
        loan_repay(loan=rejected, amount=Decimal("10.00"), method=PaymentMethod.CASH)
    assert closed.value.code == "loan_closed"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_racing_applications_make_one_loan(savers):
    chama, seats = savers

    results = run_concurrently(lambda: apply(chama, seats[2], principal="1000.00"), 10)

    made = [r for r in results if isinstance(r, Loan)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(made) == 1, results
    assert len(refused) == 9
    assert {e.code for e in refused} == {"active_loan_exists"}
    assert Loan.objects.count() == 1


# --- the smallest loan ----------------------------------------------------------------------


def test_a_principal_below_the_policy_minimum_is_refused(savers):
    chama, seats = savers

    with pytest.raises(ValidationFailed) as caught:
        apply(chama, seats[2], principal="99.99")

    assert (caught.value.code, caught.value.field, caught.value.message) == (
        "principal_below_minimum",
        "principal",
        "The chama lends at least 100.00; got 99.99.",
    )
    assert Loan.objects.count() == 0


@pytest.mark.parametrize(
    ("principal", "months", "policy", "message"),
    [
        # 0.10 over 12 months: a share of 0.01 would overshoot (12 x 0.01 = 0.12), so eleven
        # shares of 0.00 and a last of 0.10
        (
            "0.10",
            12,
            {"min_principal": Decimal("0.01"), "interest_rate": Decimal("0")},
            "0.10 over 12 months leaves installment 1 repaying 0.00 of the principal: "
            "borrow more or over fewer months.",
        ),
        # 1,000.00 reducing at 50% a month over 36 months: the EMI, 500.0002… → 500.00, is all
        # interest (1,000.00 x 0.5) until the last installment
        (
            "1000.00",
            36,
            {
                "interest_method": "reducing_balance",
                "interest_rate": Decimal("0.5"),
                "max_term_months": 36,
            },
            "1000.00 over 36 months leaves installment 1 repaying 0.00 of the principal: "
            "borrow more or over fewer months.",
        ),
    ],
)
def test_a_loan_with_an_installment_repaying_nothing_is_refused(
    savers, principal, months, policy, message
):
    chama, seats = savers
    loan_policy = loan_policy_get(chama=chama)
    for field, value in policy.items():
        setattr(loan_policy, field, value)
    loan_policy.save()

    with pytest.raises(ValidationFailed) as caught:
        apply(chama, seats[2], principal=principal, term_months=months)

    assert (caught.value.code, caught.value.message) == ("installment_too_small", message)
    assert Loan.objects.count() == 0


# --- the credit-score discount --------------------------------------------------------------


@pytest.fixture
def discounting(savers):
    """A policy that takes 20% off the rate for a credit score of 70 or more."""
    chama, seats = savers
    policy = loan_policy_get(chama=chama)
    policy.credit_discount_min_score, policy.credit_discount_percent = 70, Decimal("20")
    policy.save()
    return chama, seats


@pytest.mark.parametrize(
    ("score", "rate", "discount", "installments"),
    [
        # 15,000 flat at 10% a month less 20% = 8%: 15,000 x 0.08 x 3 = 3,600 of interest
        (75, "0.080000", "20.00", ["6200.00"] * 3),
        (70, "0.080000", "20.00", ["6200.00"] * 3),
        # below the threshold, or never scored: the policy's 10%, 19,500 repayable
        (69, "0.100000", "0.00", ["6500.00"] * 3),
        (None, "0.100000", "0.00", ["6500.00"] * 3),
    ],
)
def test_a_credit_score_at_the_threshold_lowers_the_rate(
    discounting, score, rate, discount, installments
):
    chama, seats = discounting
    borrower = membership_credit_score_set(membership=seats[2], score=score)

    loan = loan_approve(loan=apply(chama, borrower), acting=seats[0])

    assert (str(loan.interest_rate), str(loan.base_interest_rate)) == (rate, "0.100000")
    assert (loan.credit_score, str(loan.credit_discount_percent)) == (score, discount)
    assert [str(i.total) for i in loan.installments.order_by("number")] == installments


def test_without_a_threshold_no_score_earns_a_discount(savers):
    chama, seats = savers
    policy = loan_policy_get(chama=chama)
    policy.credit_discount_percent = Decimal("50")  # a percent, but no minimum score: off
    policy.save()
    borrower = membership_credit_score_set(membership=seats[2], score=100)

    loan = apply(chama, borrower)

    assert (loan.interest_rate, loan.credit_discount_percent) == (Decimal("0.10"), Decimal("0"))


def test_the_schedule_uses_the_rate_stored_at_application(discounting):
    chama, seats = discounting
    policy = loan_policy_get(chama=chama)
    policy.interest_rate_min, policy.interest_rate_max = Decimal("0.04"), Decimal("0.12")
    policy.save()
    borrower = membership_credit_score_set(membership=seats[2], score=90)
    loan = apply(chama, borrower, interest_rate=Decimal("0.05"))  # asked: 5% a month, in range
    # the score falls and the policy changes before the officials decide
    membership_credit_score_set(membership=borrower, score=10)
    policy = loan_policy_get(chama=chama)
    policy.credit_discount_percent = Decimal("0")
    policy.save()

    loan = loan_approve(loan=loan, acting=seats[0])

    # 5% less 20% = 4%: 15,000 x 0.04 x 3 = 1,800 of interest, 5,600.00 a month
    assert (loan.base_interest_rate, loan.interest_rate) == (Decimal("0.05"), Decimal("0.04"))
    assert [i.total for i in loan.installments.order_by("number")] == [Decimal("5600.00")] * 3
