"""A payout pays the pot's balance when it is approved, and money that reaches a paid pot is
paid on by a top-up: proposed when it arrives, or requested by an official."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance import chart
from finance.choices import (
    CycleStatus,
    PaymentMethod,
    PayoutKind,
    PayoutMethod,
    PayoutStatus,
    RoundStatus,
)
from finance.exceptions import FinanceError
from finance.models import JournalEntry, Payout
from finance.selectors import trial_balance_get
from finance.services.payouts import (
    payout_approve,
    payout_fail,
    payout_reject,
    payout_request,
    payout_settle,
)
from tests.finance.books import balance, legs
from tests.finance.rotation import rotation

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def waiting():
    """Three seats at 1,000 all to the pot; seats 1 and 2 paid round 1 in cash and the chair
    asked to pay it out early (2,000); seat 3 has paid nothing."""
    book = rotation(contribution="1000.00", rotation="1000.00")
    book.pay(book.chair, "1000.00")
    book.pay(book.treasurer, "1000.00")
    payout = payout_request(
        round=book.round(1), acting=book.chair, method="cash", override_reason="Rent"
    )
    return book, payout


@pytest.fixture
def paid_early(waiting):
    """As ``waiting``, and the treasurer approved: 2,000 paid, the pot empty, seat 3 owing."""
    book, payout = waiting
    payout_approve(payout=payout, acting=book.treasurer)
    return book


def test_money_arriving_while_a_payout_waits_is_paid_with_it(waiting):
    book, payout = waiting
    assert payout.amount == D("2000.00")

    # When seat 3 pays 700 while the payout awaits approval
    book.pay(book.member, "700.00")

    # Then no top-up is proposed (the approval pays the whole pot), and the approval pays 2,700
    assert Payout.objects.filter(round=book.round(1)).count() == 1
    paid = payout_approve(payout=payout, acting=book.treasurer)
    assert (paid.amount, paid.status) == (D("2700.00"), PayoutStatus.COMPLETED)
    assert legs(paid.sent_entry) == [("1030", "C", D("2700.00")), ("2200", "D", D("2700.00"))]
    assert book.pot(1) == D("0.00")

    # And the last 300 of seat 3's due, paid later, is proposed as a 300 top-up
    book.pay(book.member, "300.00")
    assert book.requested_top_up(1) == (
        PayoutKind.TOP_UP,
        True,
        D("300.00"),
        book.treasurer.user,
    )


def test_a_second_late_payment_joins_the_top_up_already_proposed(paid_early):
    book = paid_early
    book.pay(book.member, "400.00")
    book.pay(book.member, "600.00")

    # One top-up awaits, proposed at 400; approving it pays all 1,000 the pot holds
    (top_up,) = Payout.objects.filter(round=book.round(1), kind=PayoutKind.TOP_UP)
    assert top_up.amount == D("400.00")
    assert payout_approve(payout=top_up, acting=book.chair).amount == D("1000.00")
    assert book.pot(1) == D("0.00")


def test_an_official_may_request_a_top_up_of_a_paid_pot(paid_early):
    book = paid_early
    book.pay(book.member, "1000.00")
    proposed = Payout.objects.get(round=book.round(1), kind=PayoutKind.TOP_UP)

    # While the proposed top-up awaits, another request is refused
    with pytest.raises(ConflictError) as exists:
        payout_request(round=book.round(1), acting=book.chair, method="bank")
    assert exists.value.message == FinanceError.PAYOUT_EXISTS.render(
        status="requested, awaiting approval"
    )

    # Rejected, it leaves the round paid and the money in the pot, until an official asks
    payout_reject(payout=proposed, acting=book.chair, reason="Pay by M-Pesa instead")
    round1 = book.round(1)
    assert (round1.status, book.pot(1)) == (RoundStatus.PAID, D("1000.00"))
    asked = payout_request(round=round1, acting=book.chair, method="cash")
    assert (asked.kind, asked.automatic, asked.amount, asked.requested_by) == (
        PayoutKind.TOP_UP,
        False,
        D("1000.00"),
        book.chair.user,
    )


def test_a_top_up_of_a_round_not_paid_out_is_refused_and_writes_nothing():
    book = rotation()
    book.pay(book.chair, "10000.00")
    before = (Payout.objects.count(), JournalEntry.objects.count())

    with pytest.raises(ConflictError) as refused:
        payout_request(
            round=book.round(1), acting=book.chair, method="cash", kind=PayoutKind.TOP_UP
        )

    assert (refused.value.code, refused.value.message) == (
        "round_not_paid",
        FinanceError.ROUND_NOT_PAID.render(round="1.1"),
    )
    assert (Payout.objects.count(), JournalEntry.objects.count()) == before
    assert book.round(1).status == RoundStatus.OPEN


def test_a_top_up_of_an_empty_pot_is_refused_and_writes_nothing(paid_early):
    book = paid_early
    before = (Payout.objects.count(), JournalEntry.objects.count())

    with pytest.raises(ConflictError) as refused:
        payout_request(round=book.round(1), acting=book.treasurer, method="cash")

    assert (refused.value.code, refused.value.message) == (
        "pot_empty",
        FinanceError.POT_EMPTY.render(round="1.1"),
    )
    assert (Payout.objects.count(), JournalEntry.objects.count()) == before


def test_a_second_primary_payout_of_a_paid_round_is_refused(paid_early):
    with pytest.raises(ConflictError) as refused:
        payout_request(
            round=paid_early.round(1),
            acting=paid_early.chair,
            method="cash",
            kind=PayoutKind.PRIMARY,
        )
    assert refused.value.code == "payout_exists"


def test_a_top_up_by_mpesa_is_sent_and_settled_and_a_failed_one_is_proposed_again(
    paid_early, b2c_gateway, django_capture_on_commit_callbacks
):
    # Given seat 3's 1,000 paid late by M-Pesa: a top-up from the paybill that holds it
    book = paid_early
    book.pay(book.member, "1000.00", method=PaymentMethod.MPESA, mpesa_receipt="RT00000001")
    top_up = Payout.objects.get(round=book.round(1), kind=PayoutKind.TOP_UP)
    assert (top_up.method, top_up.amount) == (PayoutMethod.MPESA, D("1000.00"))

    # When it is approved: sent by B2C, parked in 1090
    with django_capture_on_commit_callbacks(execute=True):
        sent = payout_approve(payout=top_up, acting=book.chair)
    assert sent.status == PayoutStatus.IN_FLIGHT
    assert legs(sent.sent_entry) == [("1010", "C", D("1000.00")), ("1090", "D", D("1000.00"))]
    assert b2c_gateway.sent == [(book.chair.receive_phone, D("1000.00"))]
    assert b2c_gateway.transfers[-1].remarks == "Round 1.1 top-up"

    # When M-Pesa refuses it: the money is back in the paybill and a new top-up is proposed
    # (no one recorded this money: any official may approve it)
    failed = payout_fail(payout=sent, reason="Recipient's line is not registered")
    assert legs(failed.settled_entry) == [("1010", "D", D("1000.00")), ("1090", "C", D("1000.00"))]
    again = Payout.objects.get(round=book.round(1), status=PayoutStatus.REQUESTED)
    assert (again.kind, again.automatic, again.amount, again.requested_by) == (
        PayoutKind.TOP_UP,
        True,
        D("1000.00"),
        None,
    )
    assert book.round(1).status == RoundStatus.PAID

    # When that one is sent and M-Pesa confirms it: the pot is empty, 1090 back to zero
    with django_capture_on_commit_callbacks(execute=True):
        sent = payout_approve(payout=again, acting=book.treasurer)
    settled = payout_settle(payout=sent, receipt="SBT0000001")
    assert settled.status == PayoutStatus.COMPLETED
    assert legs(settled.settled_entry) == [
        ("1090", "C", D("1000.00")),
        ("2200", "D", D("1000.00")),
    ]
    assert settled.settled_entry.memo == "Round 1.1 top-up completed"
    assert (book.pot(1), balance(book.chama, chart.PAYOUTS_IN_FLIGHT)) == (D("0.00"), D("0.00"))
    assert trial_balance_get(chama=book.chama) == D("0.00")


def test_money_arriving_while_a_payout_is_in_flight_is_proposed_when_it_completes(
    b2c_gateway, django_capture_on_commit_callbacks
):
    # Given round 1's 2,000 sent by M-Pesa, early, seat 3 not having paid
    book = rotation(contribution="1000.00", rotation="1000.00")
    for i, seat in enumerate((book.chair, book.treasurer)):
        book.pay(seat, "1000.00", method=PaymentMethod.MPESA, mpesa_receipt=f"RF0000000{i}")
    payout = payout_request(
        round=book.round(1), acting=book.chair, method="mpesa", override_reason="Rent"
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = payout_approve(payout=payout, acting=book.treasurer)

    # When seat 3 pays 1,000 while it is in flight: nothing is proposed yet
    book.pay(book.member, "1000.00", method=PaymentMethod.MPESA, mpesa_receipt="RF00000009")
    assert Payout.objects.count() == 1
    assert book.pot(1) == D("3000.00")  # 2,000 of it leaves when M-Pesa confirms

    # When M-Pesa confirms the 2,000: the round is paid and the 1,000 is proposed as a top-up
    payout_settle(payout=sent, receipt="SBF0000001")
    top_up = Payout.objects.get(round=book.round(1), kind=PayoutKind.TOP_UP)
    assert (top_up.status, top_up.amount, top_up.requested_by) == (
        PayoutStatus.REQUESTED,
        D("1000.00"),
        None,
    )
    assert book.pot(1) == D("1000.00")
    book.cycle.refresh_from_db()
    assert book.cycle.status == CycleStatus.ACTIVE
