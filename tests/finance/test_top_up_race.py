"""Real threads on PostgreSQL: money that reaches a pot while its payout is being approved is
never left behind in the paid pot with nothing proposed.

The payment reads its round as not yet paid (the approval has not committed), then waits for
the pot's lock, which the approval holds until it commits. Which rounds are paid is read again
once the payment's balances are applied under that lock (in the same round trip), so it sees
the approval and proposes its money as a top-up.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections

from finance.choices import PayoutKind, PayoutStatus, RoundStatus
from finance.models import Payout
from finance.selectors import trial_balance_get
from finance.services.payouts import decisions, payout_approve, payout_request
from tests.finance.rotation import rotation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = Decimal
WAIT = 30  # seconds any step may take before the test gives up


def waiting_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def test_a_payment_waiting_on_an_approval_is_proposed_as_a_top_up(monkeypatch):
    # Given round 1's pot of 2,000 (seats 1 and 2 paid) with a payout requested, seat 3 owing
    book = rotation(contribution="1000.00", rotation="1000.00")
    book.pay(book.chair, "1000.00")
    book.pay(book.treasurer, "1000.00")
    payout = payout_request(
        round=book.round(1), acting=book.chair, method="cash", override_reason="Rent"
    )
    approving, paying = threading.Event(), threading.Event()
    completed = decisions.cycle_completion_watch

    def hold_the_approval(cycle):
        # The approval has locked the pot and marked the round paid, uncommitted: it waits
        # here until the payment is blocked behind it.
        approving.set()
        assert paying.wait(WAIT)
        completed(cycle)

    monkeypatch.setattr(decisions, "cycle_completion_watch", hold_the_approval)
    results: dict[str, object] = {}
    payer_pid: list[int] = []

    def approve():
        try:
            results["approval"] = payout_approve(payout=payout, acting=book.treasurer)
        except Exception as exc:  # asserted below
            results["approval"] = exc
        finally:
            connections.close_all()

    def pay():
        try:
            connection.ensure_connection()
            payer_pid.append(connection.connection.get_backend_pid())
            assert approving.wait(WAIT)
            results["payment"] = book.pay(book.member, "1000.00")
        except Exception as exc:  # asserted below
            results["payment"] = exc
        finally:
            connections.close_all()

    # When seat 3 pays while the treasurer's approval holds the pot
    threads = [threading.Thread(target=approve), threading.Thread(target=pay)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + WAIT
    while not (payer_pid and waiting_on_a_lock(payer_pid[0])):
        assert time.monotonic() < deadline, "the payment never waited on the approval's locks"
        time.sleep(0.01)
    paying.set()
    for thread in threads:
        thread.join(WAIT)

    # Then the approval paid the 2,000 it saw, and seat 3's 1,000 is proposed as a top-up
    approval = results["approval"]
    assert isinstance(approval, Payout), results
    assert (approval.amount, approval.status) == (D("2000.00"), PayoutStatus.COMPLETED)
    assert not isinstance(results["payment"], Exception), results
    assert book.round(1).status == RoundStatus.PAID
    assert book.pot(1) == D("1000.00")
    assert book.requested_top_up(1) == (
        PayoutKind.TOP_UP,
        True,
        D("1000.00"),
        book.treasurer.user,
    )
    assert trial_balance_get(chama=book.chama) == D("0.00")
