"""A month in a merry-go-round, told in accounting language (the money-core acceptance)."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance import chart
from finance.choices import DueStatus, PaymentMethod, PayoutMethod, PayoutStatus, RoundStatus
from finance.models import Due, JournalEntry, Posting
from finance.rounds import round_summary_get
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.ledger import ledger_account_get
from finance.services.payouts import payout_approve, payout_request, payout_settle
from groups.choices import Role
from tests.factories import appoint
from tests.finance.factories import merry_go_round

pytestmark = pytest.mark.django_db


def balance(chama, code, **owner):
    return ledger_account_get(chama=chama, code=code, **owner).cached_balance


def test_four_members_pay_round_one_and_seat_one_receives_the_pot(
    b2c_gateway, django_capture_on_commit_callbacks
):
    # Given a monthly merry-go-round of four, 10,000 each per round, all to rotation
    chama, seats, cycle = merry_go_round(members=4, amount="10000.00")
    seat1, seat2, seat3, seat4 = seats
    appoint(seat2, Role.TREASURER, by=seat1)
    round1 = cycle.rounds.get(number=1)
    receipts = {}

    def pay(member, amount, receipt):
        receipts[receipt] = (member, amount)
        contribution_record(
            chama=chama,
            membership=member,
            amount=Decimal(amount),
            method=PaymentMethod.MPESA,
            mpesa_receipt=receipt,
        )
        assert trial_balance_get(chama=chama) == Decimal("0.00")

    # When three members pay round 1 by M-Pesa
    pay(seat1, "10000.00", "RA11111111")
    pay(seat2, "10000.00", "RA22222222")
    pay(seat3, "10000.00", "RA33333333")

    # Then 30,000 of 40,000 is collected and seat 4 is the defaulter
    summary = round_summary_get(round=round1)
    assert (summary.expected_pot, summary.collected, summary.pot_remaining) == (
        Decimal("40000.00"),
        Decimal("30000.00"),
        Decimal("10000.00"),
    )
    assert (summary.pot_balance, summary.paid_out) == (Decimal("30000.00"), Decimal("0.00"))
    assert summary.is_disbursable is False
    assert [(d.member_id, d.owes.rotation, d.owes.total) for d in summary.defaulters] == [
        (seat4.pk, Decimal("10000.00"), Decimal("10000.00"))
    ]
    with pytest.raises(ConflictError) as early:
        payout_request(round=round1, acting=seat2, method=PayoutMethod.CASH)
    assert early.value.code == "not_disbursable"

    # When seat 4 pays 3,000: their due is partial with 7,000 remaining
    pay(seat4, "3000.00", "RA44444444")
    due4 = Due.objects.get(round=round1, membership=seat4)
    assert (due4.status, due4.remaining) == (DueStatus.PARTIAL, Decimal("7000.00"))
    assert round_summary_get(round=round1).is_disbursable is False

    # When seat 4 pays the other 7,000: the round is disbursable
    pay(seat4, "7000.00", "RA55555555")
    summary = round_summary_get(round=round1)
    assert (summary.collected, summary.is_disbursable, summary.defaulters) == (
        Decimal("40000.00"),
        True,
        [],
    )
    assert balance(chama, chart.POT_PAYABLE, round=round1) == Decimal("-40000.00")

    # Replaying any receipt changes nothing
    entries, postings = JournalEntry.objects.count(), Posting.objects.count()
    for receipt, (member, amount) in receipts.items():
        with pytest.raises(ConflictError):
            contribution_record(
                chama=chama,
                membership=member,
                amount=Decimal(amount),
                method=PaymentMethod.MPESA,
                mpesa_receipt=receipt,
            )
    assert (JournalEntry.objects.count(), Posting.objects.count()) == (entries, postings)

    # The treasurer requests the payout and the chair approves it: M-Pesa B2C to seat 1
    payout = payout_request(round=round1, acting=seat2, method=PayoutMethod.MPESA)
    assert (payout.amount, payout.destination) == (Decimal("40000.00"), seat1.receive_phone)
    with django_capture_on_commit_callbacks(execute=True):
        sent = payout_approve(payout=payout, acting=seat1)
    assert sent.status == PayoutStatus.IN_FLIGHT
    assert b2c_gateway.sent == [(seat1.receive_phone, Decimal("40000.00"))]
    assert balance(chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("40000.00")
    assert trial_balance_get(chama=chama) == Decimal("0.00")

    # When M-Pesa reports success, the pot is paid and every clearing account is back to zero
    paid = payout_settle(payout=payout, receipt="SB11111111")
    assert paid.status == PayoutStatus.COMPLETED
    round1.refresh_from_db()
    assert round1.status == RoundStatus.PAID
    assert balance(chama, chart.POT_PAYABLE, round=round1) == Decimal("0.00")
    assert balance(chama, chart.PAYOUTS_IN_FLIGHT) == Decimal("0.00")
    assert balance(chama, chart.MPESA_PAYBILL) == Decimal("0.00")
    assert trial_balance_get(chama=chama) == Decimal("0.00")
    summary = round_summary_get(round=round1)
    assert (summary.collected, summary.pot_balance, summary.paid_out) == (
        Decimal("40000.00"),
        Decimal("0.00"),
        Decimal("40000.00"),
    )
