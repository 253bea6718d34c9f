"""Pot payouts: early payout only by the chair with a reason; reject and M-Pesa failure leave
the round payable; the money is where the ledger says."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance import chart
from finance.choices import PayoutMethod, PayoutStatus, RoundStatus
from finance.exceptions import FinanceError
from finance.rounds import round_summary_get
from finance.selectors import trial_balance_get
from finance.services.ledger import ledger_account_get
from finance.services.payouts import payout_approve, payout_fail, payout_reject, payout_request
from groups.choices import Role
from tests.factories import appoint
from tests.finance.factories import merry_go_round, pay_by_mpesa, pay_in_cash

pytestmark = pytest.mark.django_db


def _half_paid(pay):
    """Three seats at 1,000; seats 1 and 2 have paid round 1 (through ``pay``), seat 3 has not."""
    chama, seats, cycle = merry_go_round(members=3, amount="1000.00")
    appoint(seats[1], Role.TREASURER, by=seats[0])
    pay(chama, seats[:2])
    return chama, seats, cycle.rounds.get(number=1)


@pytest.fixture
def half_paid():
    return _half_paid(lambda chama, payers: pay_by_mpesa(chama, payers, "1000.00", "RH1234567"))


@pytest.fixture
def half_paid_in_cash():
    """As ``half_paid``, the two paying in cash at the meeting: the pot is in the cash box."""
    return _half_paid(lambda chama, payers: pay_in_cash(chama, payers, "1000.00"))


def balance(chama, code, **owner):
    return ledger_account_get(chama=chama, code=code, **owner).cached_balance


def test_only_the_chair_may_pay_out_early_and_only_with_a_reason(half_paid_in_cash):
    chama, seats, round1 = half_paid_in_cash

    with pytest.raises(ConflictError) as no_reason:
        payout_request(round=round1, acting=seats[0], method=PayoutMethod.CASH)
    assert no_reason.value.message == FinanceError.NOT_DISBURSABLE.render(round="1.1", count=1)
    with pytest.raises(PermissionDeniedError) as not_chair:
        payout_request(
            round=round1, acting=seats[1], method=PayoutMethod.CASH, override_reason="Urgent"
        )
    assert not_chair.value.code == "override_chair_only"

    payout = payout_request(
        round=round1,
        acting=seats[0],
        method=PayoutMethod.CASH,
        override_reason="Hospital bill",
    )

    assert (payout.amount, payout.override_reason) == (Decimal("2000.00"), "Hospital bill")
    paid = payout_approve(payout=payout, acting=seats[1])
    assert paid.status == PayoutStatus.COMPLETED
    assert balance(chama, chart.POT_PAYABLE, round=round1) == Decimal("0.00")
    assert trial_balance_get(chama=chama) == Decimal("0.00")


def test_a_rejected_request_leaves_the_round_payable(half_paid):
    _, seats, round1 = half_paid
    payout = payout_request(
        round=round1, acting=seats[0], method=PayoutMethod.BANK, override_reason="Early"
    )

    rejected = payout_reject(payout=payout, acting=seats[1], reason="Wait for seat 3")

    assert rejected.status == PayoutStatus.REJECTED
    round1.refresh_from_db()
    assert round1.status == RoundStatus.OPEN
    again = payout_request(
        round=round1, acting=seats[0], method=PayoutMethod.BANK, override_reason="Early"
    )
    assert again.status == PayoutStatus.REQUESTED


def test_an_mpesa_failure_brings_the_money_back_and_the_round_is_payable_again(
    half_paid, b2c_gateway, django_capture_on_commit_callbacks
):
    chama, seats, round1 = half_paid
    payout = payout_request(
        round=round1, acting=seats[0], method=PayoutMethod.MPESA, override_reason="Early"
    )
    with django_capture_on_commit_callbacks(execute=True):
        payout_approve(payout=payout, acting=seats[1])
    assert balance(chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("2000.00")
    assert balance(chama, chart.MPESA_PAYBILL) == Decimal("0.00")

    failed = payout_fail(payout=payout, reason="Recipient's line is not registered")

    assert (failed.status, failed.failure_reason) == (
        PayoutStatus.FAILED,
        "Recipient's line is not registered",
    )
    assert balance(chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(chama, chart.MPESA_PAYBILL) == Decimal("2000.00")
    assert balance(chama, chart.POT_PAYABLE, round=round1) == Decimal("-2000.00")
    round1.refresh_from_db()
    assert round1.status == RoundStatus.OPEN
    with pytest.raises(ConflictError) as twice:
        payout_fail(payout=payout, reason="again")
    assert twice.value.code == "payout_not_in_flight"
    assert trial_balance_get(chama=chama) == Decimal("0.00")


def test_mpesa_payouts_are_unavailable_until_the_gateway_is_registered(
    half_paid, without_mpesa_gateway
):
    _, seats, round1 = half_paid

    with pytest.raises(ValidationFailed) as caught:
        payout_request(
            round=round1, acting=seats[0], method=PayoutMethod.MPESA, override_reason="x"
        )

    assert caught.value.code == "method_unavailable"


def test_the_round_summary_suggests_the_account_that_holds_the_pot(half_paid_in_cash, half_paid):
    # Given one chama whose pot (2,000) was paid in cash and one whose pot is in the paybill
    in_cash, in_paybill = half_paid_in_cash[2], half_paid[2]

    # Then each suggests paying from where the money is
    assert round_summary_get(round=in_cash).suggested_method == PayoutMethod.CASH
    assert round_summary_get(round=in_paybill).suggested_method == PayoutMethod.MPESA


def test_no_method_is_suggested_when_no_account_holds_the_pot():
    chama, seats, cycle = merry_go_round(members=2, amount="1000.00")
    pay_in_cash(chama, seats[:1], "1000.00")
    pay_by_mpesa(chama, seats[1:], "1000.00", "RN1234567")

    summary = round_summary_get(round=cycle.rounds.get(number=1))

    assert summary.collected == Decimal("2000.00")
    assert [(a.method, a.holds) for a in summary.paying_accounts] == [
        (PayoutMethod.MPESA, Decimal("1000.00")),
        (PayoutMethod.BANK, Decimal("0.00")),
        (PayoutMethod.CASH, Decimal("1000.00")),
    ]
    assert summary.suggested_method is None  # half in each: bank or sweep it together first
