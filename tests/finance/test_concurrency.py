"""Real threads on PostgreSQL: racing requests never count money twice."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance.choices import PaymentMethod, PayoutMethod
from finance.models import Contribution, JournalEntry, Payout
from finance.selectors import trial_balance_get
from finance.services.contributions import contribution_record
from finance.services.payouts import payout_request
from tests.concurrency import run_concurrently
from tests.finance.factories import merry_go_round, pay_by_mpesa

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_posts_of_one_receipt_make_one_contribution():
    chama, seats, _ = merry_go_round(members=3, amount="1000.00")
    # Different members too: a receipt is unique across the whole system, not per member.
    payers = [seats[i % 3] for i in range(20)]
    turn = iter(range(20))

    def post():
        return contribution_record(
            chama=chama,
            membership=payers[next(turn)],
            amount=Decimal("1000.00"),
            method=PaymentMethod.MPESA,
            mpesa_receipt="RC12345678",
        )

    results = run_concurrently(post, 20)

    made = [r for r in results if isinstance(r, Contribution)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(made) == 1, results
    assert len(refused) == 19
    assert {e.code for e in refused} == {"duplicate_receipt"}
    assert Contribution.objects.count() == 1
    assert JournalEntry.objects.filter(external_ref="RC12345678").count() == 1
    assert trial_balance_get(chama=chama) == Decimal("0.00")


def test_ten_simultaneous_payout_requests_make_one_payout():
    chama, seats, cycle = merry_go_round(members=2, amount="1000.00")
    pay_by_mpesa(chama, seats, "1000.00", "RD1234567")
    round1 = cycle.rounds.get(number=1)

    results = run_concurrently(
        lambda: payout_request(round=round1, acting=seats[0], method=PayoutMethod.CASH), 10
    )

    made = [r for r in results if isinstance(r, Payout)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(made) == 1, results
    assert {e.code for e in refused} == {"payout_exists"}
    assert len(refused) == 9
    assert Payout.objects.filter(round=round1).count() == 1


def test_ten_simultaneous_retries_with_one_idempotency_key_make_one_contribution():
    chama, seats, _ = merry_go_round(members=2, amount="1000.00")

    results = run_concurrently(
        lambda: contribution_record(
            chama=chama,
            membership=seats[1],
            amount=Decimal("1000.00"),
            method=PaymentMethod.CASH,
            idempotency_key="cash-slip-7",
        ),
        10,
    )

    assert all(isinstance(r, Contribution) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Contribution.objects.count() == 1
    assert JournalEntry.objects.count() == 1
