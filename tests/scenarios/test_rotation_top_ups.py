"""A cycle with an early payout, told in accounting language: the defaulter pays late, the
money is paid on to the recipient by a top-up, and the cycle completes only once every pot is
empty."""

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import ConflictError, PermissionDeniedError
from finance import chart
from finance.choices import CycleStatus, PayoutKind, PayoutMethod, PayoutStatus, RoundStatus
from finance.models import Payout
from finance.rounds import DueOwed, round_summary_get
from finance.selectors import trial_balance_get
from finance.services.cycles import cycle_create
from finance.services.payouts import payout_approve, payout_request
from tests.finance.books import balance, legs
from tests.finance.rotation import rotation

pytestmark = pytest.mark.django_db

D = Decimal


def test_a_late_payment_after_an_early_payout_is_topped_up_before_the_cycle_completes():
    # Given three seats paying 10,000 a round (6,000 pot, 4,000 savings), in cash
    book = rotation()
    chama, chair, treasurer, member = book.chama, book.chair, book.treasurer, book.member
    round1 = book.round(1)

    # When seats 1 and 2 pay round 1 and seat 3 does not
    book.pay(chair, "10000.00")
    book.pay(treasurer, "10000.00")

    # Then the summary names its units: 6,000 still owed to the pot, 12,000 in it, and seat 3
    # owes the whole due, 6,000 of it to the pot
    summary = round_summary_get(round=round1)
    assert (
        summary.expected_pot,
        summary.collected,
        summary.pot_remaining,
        summary.pot_balance,
        summary.paid_out,
    ) == (D("18000.00"), D("12000.00"), D("6000.00"), D("12000.00"), D("0.00"))
    assert [(d.member_id, d.owes) for d in summary.defaulters] == [
        (member.pk, DueOwed(D("6000.00"), D("4000.00"), D("0.00"), D("10000.00")))
    ]

    # When the chair pays round 1 out early and the treasurer approves: 12,000 leaves the box
    early = payout_request(
        round=round1, acting=chair, method=PayoutMethod.CASH, override_reason="School fees"
    )
    paid = payout_approve(payout=early, acting=treasurer)
    assert (paid.kind, paid.amount, paid.status) == (
        PayoutKind.PRIMARY,
        D("12000.00"),
        PayoutStatus.COMPLETED,
    )
    assert legs(paid.sent_entry) == [("1030", "C", D("12000.00")), ("2200", "D", D("12000.00"))]
    assert book.pot(1) == D("0.00")

    # When seat 3 pays round 1 late: 6,000 reaches the paid pot, 4,000 their savings
    late = book.pay(member, "10000.00")
    assert legs(late.entry) == [
        ("1030", "D", D("10000.00")),
        ("2100", "C", D("4000.00")),
        ("2200", "C", D("6000.00")),
    ]

    # Then a top-up of the 6,000 to seat 1 is proposed in the same transaction, its maker
    # the treasurer who recorded the money, paid from the cash box that holds it
    top_up = Payout.objects.get(round=round1, kind=PayoutKind.TOP_UP)
    assert (
        top_up.status,
        top_up.automatic,
        top_up.amount,
        top_up.method,
        top_up.recipient,
        top_up.destination,
        top_up.requested_by,
    ) == (
        PayoutStatus.REQUESTED,
        True,
        D("6000.00"),
        PayoutMethod.CASH,
        chair,
        chair.receive_phone,
        treasurer.user,
    )
    summary = round_summary_get(round=round1)
    assert (summary.pot_remaining, summary.pot_balance, summary.paid_out) == (
        D("0.00"),
        D("6000.00"),
        D("12000.00"),
    )

    # When rounds 2 and 3 are collected in full and paid out (treasurer asks, chair approves)
    for number in (2, 3):
        for seat in (chair, treasurer, member):
            book.pay(seat, "10000.00")
        pot = payout_request(round=book.round(number), acting=treasurer, method="cash")
        assert payout_approve(payout=pot, acting=chair).amount == D("18000.00")

    # Then every round is paid, but round 1's pot holds 6,000: the cycle stays active, and a
    # new cycle cannot start
    book.cycle.refresh_from_db()
    assert set(book.cycle.rounds.values_list("status", flat=True)) == {RoundStatus.PAID}
    assert book.cycle.status == CycleStatus.ACTIVE
    with pytest.raises(ConflictError) as active:
        cycle_create(chama=chama, start_date=date(2026, 4, 1))
    assert active.value.code == "cycle_active"

    # When the top-up is approved by another official than its maker
    with pytest.raises(PermissionDeniedError) as own:
        payout_approve(payout=top_up, acting=treasurer)
    assert own.value.code == "same_official"
    topped = payout_approve(payout=top_up, acting=chair)

    # Then the 6,000 leaves the cash box, the pot is empty and only now the cycle completes
    assert (topped.amount, topped.status) == (D("6000.00"), PayoutStatus.COMPLETED)
    assert legs(topped.sent_entry) == [("1030", "C", D("6000.00")), ("2200", "D", D("6000.00"))]
    assert topped.sent_entry.memo == f"Round 1.1 top-up to M001 ({chair.receive_phone})"
    assert [book.pot(n) for n in (1, 2, 3)] == [D("0.00")] * 3
    summary = round_summary_get(round=round1)
    assert (summary.collected, summary.pot_balance, summary.paid_out) == (
        D("18000.00"),
        D("0.00"),
        D("18000.00"),
    )
    book.cycle.refresh_from_db()
    assert book.cycle.status == CycleStatus.COMPLETED
    # The cash box holds exactly the members' savings: 4,000 a round from 3 seats for 3 rounds
    assert balance(chama, chart.CASH) == D("36000.00")
    assert trial_balance_get(chama=chama) == D("0.00")
