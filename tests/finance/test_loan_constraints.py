"""What the database holds of the loan rules when the services are bypassed (UPDATE through
the ORM): percents within 0-100, a positive minimum, a discount that only lowers the rate, a
waiver within the interest still unpaid, an installment that adds up to the cent and whose
principal leaves it once (paid, recovered or written off), and guarantors refunded no more than
was recovered from them."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from finance.choices import PaymentMethod
from finance.models import Guarantee, Installment, Loan, LoanPolicy, LoanRepayment
from finance.services.contributions import contribution_record
from finance.services.loans import loan_apply, loan_approve, loan_policy_get
from tests.finance.factories import merry_go_round
from tests.finance.recoveries import guaranteed_loan

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def approved():
    """A loan of 1,500.00 flat at 10% a month over 3 months, approved: 500.00 + 150.00 a month."""
    chama, seats, _ = merry_go_round(members=2, amount="1000.00", savings_amount="1000.00")
    contribution_record(
        chama=chama, membership=seats[1], amount=D("1000.00"), method=PaymentMethod.CASH
    )
    policy = loan_policy_get(chama=chama)
    policy.max_savings_multiple = D("2")
    policy.save()
    loan = loan_apply(
        chama=chama,
        membership=seats[1],
        acting=seats[1],
        principal=D("1500.00"),
        term_months=3,
    )
    return loan_approve(loan=loan, acting=seats[0])


def refusal(model, pk, values):
    """The database's message refusing the UPDATE, or None when it accepts it."""
    try:
        with transaction.atomic():
            model.objects.filter(pk=pk).update(**values)
    except IntegrityError as exc:
        return str(exc)
    return None


POLICY_RULES = "finance_loanpolicy_percents_0_to_100"
LOAN_RULES = "finance_loan_percents_0_to_100"
WAIVER = "finance_installment_waiver_within_interest"
TOTAL = "finance_installment_total"
SCORE = "finance_loanpolicy_discount_score_0_to_100"
ACCEPTED = None


@pytest.mark.parametrize(
    ("model", "values", "constraint"),
    [
        (LoanPolicy, {"early_repayment_rebate_percent": D("100.01")}, POLICY_RULES),
        (LoanPolicy, {"credit_discount_percent": D("-0.01")}, POLICY_RULES),
        (LoanPolicy, {"early_repayment_rebate_percent": D("100")}, ACCEPTED),
        (LoanPolicy, {"min_principal": 0}, "finance_loanpolicy_min_principal_positive"),
        (
            LoanPolicy,
            {"credit_discount_min_score": 101},
            "finance_loanpolicy_discount_score_0_to_100",
        ),
        (LoanPolicy, {"credit_discount_min_score": None}, ACCEPTED),
        (Loan, {"credit_discount_percent": D("100.01")}, LOAN_RULES),
        (Loan, {"early_repayment_rebate_percent": D("-1")}, LOAN_RULES),
        (Loan, {"base_interest_rate": D("0.09")}, "finance_loan_discount_lowers_the_rate"),
        (Loan, {"base_interest_rate": D("0.2")}, ACCEPTED),
    ],
)
def test_policy_and_loan_rules(approved, model, values, constraint):
    pk = approved.pk if model is Loan else approved.chama.loan_policy.pk

    error = refusal(model, pk, values)

    assert error is None if constraint is ACCEPTED else constraint in error


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"interest_waived": D("150.01")}, WAIVER),
        ({"interest_waived": D("-0.01")}, WAIVER),
        ({"interest_waived": D("150.00")}, ACCEPTED),
        ({"interest_waived": D("100.01"), "paid_interest": D("50.00")}, WAIVER),
        ({"interest_waived": D("100.00"), "paid_interest": D("50.00")}, ACCEPTED),
        ({"total": D("650.01")}, TOTAL),
        ({"total": D("649.99")}, TOTAL),
        # reducing-balance figures that SQLite adds as floats (8,884.880000000001)
        ({"principal": D("7884.88"), "interest": D("1000.00"), "total": D("8884.88")}, ACCEPTED),
    ],
)
def test_installment_rules(approved, values, constraint):
    first = approved.installments.get(number=1)
    assert (first.principal, first.interest, first.total) == (D("500.00"), D("150.00"), D("650.00"))

    error = refusal(Installment, first.pk, values)

    assert error is None if constraint is ACCEPTED else constraint in error


SETTLED = "finance_installment_settled_within_owed"


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"principal_recovered": D("500.01")}, SETTLED),
        ({"principal_recovered": D("300.00"), "paid_principal": D("200.00")}, ACCEPTED),
        (
            {
                "principal_recovered": D("300.00"),
                "paid_principal": D("200.00"),
                "principal_written_off": D("0.01"),
            },
            SETTLED,
        ),
        ({"principal_written_off": D("-0.01")}, SETTLED),
        ({"penalty_written_off": D("0.01")}, SETTLED),
        ({"penalty_charged": D("30.00"), "penalty_written_off": D("30.00")}, ACCEPTED),
    ],
)
def test_principal_leaves_an_installment_once(approved, values, constraint):
    first = approved.installments.get(number=1)

    error = refusal(Installment, first.pk, values)

    assert error is None if constraint is ACCEPTED else constraint in error


@pytest.mark.parametrize(
    ("model", "values", "constraint"),
    [
        (Guarantee, {"recovered": D("2000.01")}, "finance_guarantee_recovered_within_amount"),
        (
            Guarantee,
            {"recovered": D("1000.00"), "refunded": D("1000.01")},
            "finance_guarantee_refunded_within_recovered",
        ),
        (Guarantee, {"refunded": D("-0.01")}, "finance_guarantee_refunded_within_recovered"),
        (Guarantee, {"recovered": D("2000.00"), "refunded": D("2000.00")}, ACCEPTED),
        (LoanRepayment, {"refunded": D("100.01")}, "finance_loanrepayment_parts_within_amount"),
        (
            LoanRepayment,
            {"refunded": D("60.00"), "recovered": D("40.01")},
            "finance_loanrepayment_parts_within_amount",
        ),
        (LoanRepayment, {"refunded": D("60.00"), "recovered": D("40.00")}, ACCEPTED),
    ],
)
def test_what_guarantors_lose_and_get_back(model, values, constraint):
    book = guaranteed_loan()  # seat 3 guarantees 2,000.00
    repayment = book.pay("100.00", "2026-02-01")
    pk = repayment.pk if model is LoanRepayment else book.loan.guarantees.get(amount=2000).pk

    error = refusal(model, pk, values)

    assert error is None if constraint is ACCEPTED else constraint in error
