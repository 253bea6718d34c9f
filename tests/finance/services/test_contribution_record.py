"""Contributions: posted split by purpose, applied to the oldest dues, never counted twice."""

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import ConflictError, ValidationFailed
from finance import chart
from finance.choices import ContributionStatus, DueStatus, PaymentMethod
from finance.exceptions import FinanceError
from finance.models import Contribution, Due, JournalEntry, Posting
from finance.selectors import trial_balance_get
from finance.services.contributions import (
    contribution_confirm,
    contribution_record,
    contribution_reverse,
)
from finance.services.cycles import cycle_create
from finance.services.ledger import ledger_account_get
from tests.finance.factories import merry_go_round

pytestmark = pytest.mark.django_db


def pay(chama, member, amount, receipt=None, method=PaymentMethod.MPESA, **kw):
    return contribution_record(
        chama=chama,
        membership=member,
        amount=Decimal(amount),
        method=method,
        mpesa_receipt=receipt,
        **kw,
    )


def due(member, round_number):
    return Due.objects.get(membership=member, round__number=round_number)


def balance(chama, code, **owner):
    return ledger_account_get(chama=chama, code=code, **owner).cached_balance


def test_a_cycle_has_a_round_per_member_in_seat_order_and_a_due_per_member_per_round():
    _chama, seats, cycle = merry_go_round(members=4)

    rounds = list(cycle.rounds.order_by("number"))
    assert [r.recipient for r in rounds] == seats
    assert [r.meeting_date for r in rounds] == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]
    assert Due.objects.filter(round__cycle=cycle).count() == 16
    assert {d.expected_amount for d in Due.objects.all()} == {Decimal("10000.00")}


def test_only_one_active_cycle_at_a_time():
    chama, _, _ = merry_go_round(members=2)

    with pytest.raises(ConflictError) as caught:
        cycle_create(chama=chama, start_date=date(2026, 6, 1))

    assert caught.value.message == FinanceError.CYCLE_ACTIVE.message


def test_a_contribution_posts_its_split_and_settles_the_oldest_due():
    chama, seats, _cycle = merry_go_round(
        members=2,
        amount="1000.00",
        rotation_amount="800.00",
        savings_amount="150.00",
        welfare_amount="50.00",
    )
    member = seats[1]

    contribution = pay(chama, member, "1000.00", receipt="QKJ7X8Y9Z0")

    assert contribution.status == ContributionStatus.CONFIRMED
    legs = sorted(
        (p.account.code, p.side, p.amount)
        for p in contribution.entry.postings.select_related("account")
    )
    assert legs == [
        ("1010", "D", Decimal("1000.00")),
        ("2100", "C", Decimal("150.00")),
        ("2200", "C", Decimal("800.00")),
        ("3200", "C", Decimal("50.00")),
    ]
    first = due(member, 1)
    assert (first.status, first.paid_amount) == (DueStatus.PAID, Decimal("1000.00"))
    assert due(member, 2).status == DueStatus.PENDING
    assert trial_balance_get(chama=chama) == Decimal("0.00")


def test_a_partial_payment_fills_the_pot_first_and_leaves_the_remainder_visible():
    chama, seats, _ = merry_go_round(
        members=2,
        amount="1000.00",
        rotation_amount="800.00",
        savings_amount="150.00",
        welfare_amount="50.00",
    )

    pay(chama, seats[1], "850.00", receipt="QKJ7X8Y9Z1")

    first = due(seats[1], 1)
    assert first.status == DueStatus.PARTIAL
    assert (first.paid_rotation, first.paid_welfare, first.paid_savings) == (
        Decimal("800.00"),
        Decimal("50.00"),
        Decimal("0.00"),
    )
    assert first.remaining == Decimal("150.00")


def test_paying_ahead_settles_later_dues_and_the_excess_becomes_credit_for_the_next_cycle():
    chama, seats, cycle = merry_go_round(members=2, amount="1000.00")
    member = seats[1]

    pay(chama, member, "2300.00", receipt="QKJ7X8Y9Z2")

    assert [due(member, n).status for n in (1, 2)] == [DueStatus.PAID, DueStatus.PAID]
    assert balance(chama, chart.MEMBER_CREDIT, member=member) == Decimal("-300.00")

    cycle.status = "completed"
    cycle.save(update_fields=["status"])
    next_cycle = cycle_create(chama=chama, start_date=date(2026, 3, 1))

    first_new = Due.objects.get(round__cycle=next_cycle, round__number=1, membership=member)
    assert (first_new.status, first_new.paid_amount) == (DueStatus.PARTIAL, Decimal("300.00"))
    assert balance(chama, chart.MEMBER_CREDIT, member=member) == Decimal("0.00")
    assert trial_balance_get(chama=chama) == Decimal("0.00")


def test_a_receipt_is_recorded_once_and_a_replay_writes_nothing():
    chama, seats, _ = merry_go_round(members=3, amount="1000.00")
    pay(chama, seats[1], "1000.00", receipt="QKJ7X8Y9Z3")
    entries, postings = JournalEntry.objects.count(), Posting.objects.count()

    for member in (seats[1], seats[2]):
        with pytest.raises(ConflictError) as caught:
            pay(chama, member, "1000.00", receipt="qkj7x8y9z3")
        assert caught.value.code == "duplicate_receipt"
        assert caught.value.message == FinanceError.DUPLICATE_RECEIPT.render(receipt="QKJ7X8Y9Z3")

    assert (JournalEntry.objects.count(), Posting.objects.count()) == (entries, postings)
    assert Contribution.objects.count() == 1
    assert due(seats[2], 1).status == DueStatus.PENDING


@pytest.mark.parametrize(
    ("method", "status", "receipt", "code"),
    [
        (PaymentMethod.MPESA, ContributionStatus.CONFIRMED, None, "receipt_required"),
        (PaymentMethod.MPESA, ContributionStatus.CONFIRMED, "SHORT", "invalid_receipt"),
        (PaymentMethod.MPESA, ContributionStatus.PENDING, "QKJ7X8Y9Z4", "pending_mpesa"),
        (PaymentMethod.CASH, ContributionStatus.CONFIRMED, "QKJ7X8Y9Z4", "receipt_not_mpesa"),
    ],
)
def test_receipt_rules(method, status, receipt, code):
    chama, seats, _ = merry_go_round(members=2, amount="1000.00")

    with pytest.raises(ValidationFailed) as caught:
        pay(chama, seats[1], "1000.00", receipt=receipt, method=method, status=status)

    assert caught.value.code == code
    assert Contribution.objects.count() == 0


def test_a_pending_cash_contribution_posts_only_when_confirmed():
    chama, seats, _ = merry_go_round(members=2, amount="1000.00")

    pending = pay(
        chama, seats[1], "1000.00", method=PaymentMethod.CASH, status=ContributionStatus.PENDING
    )

    assert pending.entry is None
    assert due(seats[1], 1).status == DueStatus.PENDING
    assert balance(chama, chart.CASH) == Decimal("0.00")

    confirmed = contribution_confirm(contribution=pending, acting=seats[0])

    assert confirmed.status == ContributionStatus.CONFIRMED
    assert balance(chama, chart.CASH) == Decimal("1000.00")
    assert due(seats[1], 1).status == DueStatus.PAID
    with pytest.raises(ConflictError) as again:
        contribution_confirm(contribution=pending, acting=seats[0])
    assert again.value.code == "not_pending"


def test_a_reversal_reopens_the_dues_and_mirrors_the_entry_once():
    chama, seats, _ = merry_go_round(members=2, amount="1000.00")
    contribution = pay(chama, seats[1], "1500.00", receipt="QKJ7X8Y9Z5")

    reversed_ = contribution_reverse(
        contribution=contribution, acting=seats[0], reason="Wrong member"
    )

    assert reversed_.status == ContributionStatus.REVERSED
    assert reversed_.reversal_entry.reverses == contribution.entry
    assert [due(seats[1], n).status for n in (1, 2)] == [DueStatus.PENDING, DueStatus.PENDING]
    assert balance(chama, chart.MPESA_PAYBILL) == Decimal("0.00")
    assert trial_balance_get(chama=chama) == Decimal("0.00")
    with pytest.raises(ConflictError) as again:
        contribution_reverse(contribution=contribution, acting=seats[0], reason="again")
    assert again.value.code == "already_reversed"
    # The receipt stays spent: reversing does not free it for reuse.
    with pytest.raises(ConflictError):
        pay(chama, seats[1], "1500.00", receipt="QKJ7X8Y9Z5")


def test_a_reversal_cannot_take_back_welfare_money_already_paid_out_in_claims():
    from finance.choices import PayoutMethod, WelfareClaimType
    from finance.services.welfare import (
        welfare_claim_approve,
        welfare_claim_pay,
        welfare_claim_submit,
    )

    chama, seats, _ = merry_go_round(
        members=2, amount="700.00", rotation_amount="600.00", welfare_amount="100.00"
    )
    contribution = pay(chama, seats[0], "700.00", method=PaymentMethod.CASH)
    claim = welfare_claim_submit(
        chama=chama,
        membership=seats[1],
        claim_type=WelfareClaimType.HOSPITAL,
        amount=Decimal("50.00"),
        description="",
        acting=seats[1],
    )
    welfare_claim_approve(claim=claim, acting=seats[0])
    welfare_claim_pay(claim=claim, acting=seats[0], method=PayoutMethod.CASH)
    entries = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as caught:
        contribution_reverse(contribution=contribution, acting=seats[0], reason="mistake")

    assert caught.value.code == "insufficient_funds"
    assert caught.value.message == FinanceError.WELFARE_PART_SPENT.render(amount="100.00")
    assert JournalEntry.objects.count() == entries
    assert balance(chama, chart.WELFARE_FUND) == Decimal("-50.00")
    assert due(seats[0], 1).status == DueStatus.PAID
