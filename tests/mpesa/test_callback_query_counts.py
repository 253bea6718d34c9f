"""An M-Pesa payment callback costs a fixed, small number of queries, counted as production
runs them: the raw row committed first, then the booking in one transaction (a first,
optimistic attempt without savepoints, which is what a payment that books costs)."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.models import DueAllocation
from mpesa.choices import CallbackKind
from mpesa.models import C2BPayment, StkRequest
from tests.mpesa.daraja import c2b, deliver, pending_stk, stk_success

pytestmark = pytest.mark.django_db(transaction=True)

# SQLite logs the BEGIN and COMMIT it sends; PostgreSQL's driver sends them unlogged.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT")


# After the callback's transaction commits, the member gets a receipt: 12 queries, none in
# the money transaction (tests/finance/api/test_write_query_counts.py counts them).
TOLD = 12


def counted(call):
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    sql = [q["sql"] for q in ctx.captured_queries]
    return response, [q for q in sql if not q.startswith(TRANSACTION_CONTROL)]


def test_an_stk_success_callback(client, paybill):
    pending_stk(paybill.member, checkout="ws_CO_WARM")
    deliver(client, CallbackKind.STK, stk_success("ws_CO_WARM", receipt="SIF3XK7P20"))
    pending_stk(paybill.member, checkout="ws_CO_COUNTED")

    response, sql = counted(
        lambda: deliver(
            client, CallbackKind.STK, stk_success("ws_CO_COUNTED", receipt="SIF3XK7P21")
        )
    )

    # Then: the raw row (committed first), the prompt and its member under lock, the dues it
    # settles, the entry, its postings, the allocations, the dues, the contribution, the
    # balances applied and checked with, in the same round trip on PostgreSQL, which pots paid
    # into were paid out meanwhile (for a top-up), the prompt, the callback's outcome, every
    # audit row
    assert response.status_code == 200
    assert len(sql) == 12 + TOLD, "\n".join(s[:160] for s in sql)
    request = StkRequest.objects.get(checkout_request_id="ws_CO_COUNTED")
    audited = LogEntry.objects.get_for_object(request).get(action=LogEntry.Action.UPDATE)
    assert audited.changes["status"] == ["pending", "succeeded"]
    assert audited.changes["receipt"] == ["None", "SIF3XK7P21"]


def test_a_c2b_confirmation_that_settles_dues(client, paybill):
    # Given a member who has paid 400 of round 1's 500 (300 to the pot, 100 saved)
    account = paybill.account()
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(account, amount="400", receipt="SIF4QW8M10"))

    # When 1,000 arrives: the rest of round 1's due, round 2's and part of round 3's
    response, sql = counted(
        lambda: deliver(
            client,
            CallbackKind.C2B_CONFIRMATION,
            c2b(account, amount="1000", receipt="SIF4QW8M11"),
        )
    )

    # Then: the raw row, the account number resolved to its member under lock, the dues it
    # settles, the entry, its postings, the allocations, the dues, the contribution, the
    # balances applied and checked with, in the same round trip on PostgreSQL, which pots paid
    # into were paid out meanwhile (for a top-up), the payment recorded as it ended, the
    # callback's outcome, every audit row
    assert response.status_code == 200
    assert len(sql) == 12 + TOLD, "\n".join(s[:160] for s in sql)
    payment = C2BPayment.objects.get(trans_id="SIF4QW8M11")
    assert DueAllocation.objects.filter(entry_id=payment.entry_id).count() == 3
    created = LogEntry.objects.get_for_object(payment).get()
    assert created.action == LogEntry.Action.CREATE
    assert created.changes["status"] == ["None", "credited"]
