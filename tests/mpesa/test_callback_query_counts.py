"""An M-Pesa payment callback costs a fixed, small number of queries, counted as production
runs them: the raw row committed first, then the booking in one transaction."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mpesa.choices import CallbackKind
from mpesa.models import C2BPayment, StkRequest
from tests.mpesa.daraja import c2b, deliver, pending_stk, stk_success

pytestmark = pytest.mark.django_db(transaction=True)

# SQLite logs the BEGIN and COMMIT it sends; PostgreSQL's driver sends them unlogged.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT")


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

    # Then: the raw row (committed first), the prompt under lock, the contribution inside a
    # savepoint (member lock, dues, accounts, entry, postings, allocations, dues,
    # contribution, its balances checked), the prompt, every audit row, the callback's outcome
    assert response.status_code == 200
    assert len(sql) == 16, "\n".join(s[:160] for s in sql)
    request = StkRequest.objects.get(checkout_request_id="ws_CO_COUNTED")
    audited = LogEntry.objects.get_for_object(request).get(action=LogEntry.Action.UPDATE)
    assert audited.changes["status"] == ["pending", "succeeded"]
    assert audited.changes["receipt"] == ["None", "SIF3XK7P21"]


def test_a_c2b_confirmation(client, paybill):
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account(), receipt="SIF4QW8M10"))

    response, sql = counted(
        lambda: deliver(
            client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account(), receipt="SIF4QW8M11")
        )
    )

    # Then: the raw row, the account number resolved (chama, member), the payment inserted
    # in a savepoint (a repeat fails there), the contribution in another (its balances
    # checked inside it, so that a refusal can go to suspense), the payment's outcome, every
    # audit row, the callback's outcome
    assert response.status_code == 200
    assert len(sql) == 18, "\n".join(s[:160] for s in sql)
    payment = C2BPayment.objects.get(trans_id="SIF4QW8M11")
    rows = LogEntry.objects.get_for_object(payment)
    assert [row.action for row in rows.order_by("id")] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]
    assert rows.get(action=LogEntry.Action.UPDATE).changes["status"] == ["unmatched", "credited"]
