"""chamas/{id}/mpesa/paybill/ and chamas/{id}/mpesa/statement/: who sees and reconciles."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from groups.choices import Role
from mpesa.choices import CallbackKind, StkStatus
from tests.factories import add_member, make_chama
from tests.mpesa.daraja import c2b, deliver, pending_stk, stk_success
from tests.mpesa.test_statements import row, statement

pytestmark = pytest.mark.django_db


def test_officials_list_paybill_payments_members_may_not(client, client_for, paybill):
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account()))
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b("CHM042M099", receipt="SIF4QW8M1C"))
    url = f"/api/v1/chamas/{paybill.chama.pk}/mpesa/paybill/"

    everything = client_for(paybill.treasurer.user).get(url).json()
    in_suspense = client_for(paybill.treasurer.user).get(url, {"status": "suspense"}).json()

    assert everything["count"] == 2
    assert [p["trans_id"] for p in in_suspense["results"]] == ["SIF4QW8M1C"]
    assert in_suspense["results"][0]["detail"] == "No member with account number CHM042M099."
    assert client_for(paybill.member.user).get(url).status_code == 403


def test_the_treasurer_finds_held_prompts(client, client_for, paybill):
    request = pending_stk(paybill.member)
    deliver(client, CallbackKind.STK, stk_success(request.checkout_request_id, amount=999))
    url = f"/api/v1/chamas/{paybill.chama.pk}/contributions/stk-push/"

    held = client_for(paybill.treasurer.user).get(url, {"status": StkStatus.HELD}).json()

    assert [r["checkout_request_id"] for r in held["results"]] == [request.checkout_request_id]
    assert held["results"][0]["failure_reason"] == (
        "M-Pesa reported 999.00 paid against 500.00 requested: held for the treasurer."
    )


def upload(api, chama, content):
    return api.post(
        f"/api/v1/chamas/{chama.pk}/mpesa/statement/",
        {"file": SimpleUploadedFile("statement.csv", content, content_type="text/csv")},
        format="multipart",
    )


def test_the_treasurer_uploads_a_statement_and_sees_the_differences(client_for, paybill):
    contribution_record(
        chama=paybill.chama,
        membership=paybill.member,
        amount=Decimal("500.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="SIF0000001",
    )
    today = timezone.localdate(paybill.chama.created_at).isoformat()  # Nairobi, not UTC
    content = statement(
        row("SIF0000001", f"{today} 10:00:00", paid_in="500.00", account="CHM042M003"),
        row("SIF0000004", f"{today} 11:00:00", paid_in="700.00", account="CHM042M099"),
    )

    response = upload(client_for(paybill.treasurer.user), paybill.chama, content)

    assert response.status_code == 200
    body = response.json()
    assert body["matched"] == 1, body
    assert body["missing_in_hazina"] == [
        {
            "receipt": "SIF0000004",
            "on": today,
            "amount": "700.00",
            "what": "Pay Bill from 2547***678",
        }
    ]
    assert body["missing_in_statement"] == []
    assert body["amount_differs"] == []


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CHAIR, 200),
        (Role.TREASURER, 200),
        (Role.SECRETARY, 403),
        (Role.AUDITOR, 403),
        (Role.MEMBER, 403),
    ],
)
def test_who_may_reconcile(client_for, paybill, role, status):
    member = paybill.chama.memberships.filter(role=role).first() or add_member(
        paybill.chama, role=role
    )

    assert upload(client_for(member.user), paybill.chama, statement()).status_code == status


def test_a_file_that_is_not_a_statement_is_a_400(client_for, paybill):
    response = upload(client_for(paybill.treasurer.user), paybill.chama, b"name,amount\nx,1\n")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_statement"


def test_outsiders_get_404_on_paybill_and_statement_and_nothing_is_read(client_for, paybill):
    stranger = client_for(make_chama().memberships.get().user)

    assert stranger.get(f"/api/v1/chamas/{paybill.chama.pk}/mpesa/paybill/").status_code == 404
    assert upload(stranger, paybill.chama, statement()).status_code == 404


def test_a_member_cannot_follow_another_members_prompt(client_for, paybill):
    theirs = pending_stk(paybill.chair, checkout="ws_CO_CHAIR")
    url = f"/api/v1/chamas/{paybill.chama.pk}/contributions/stk-push/{theirs.checkout_request_id}/"

    assert client_for(paybill.member.user).get(url).status_code == 404
    assert client_for(paybill.chair.user).get(url).json()["amount"] == "500.00"


def test_the_paybill_list_costs_the_same_queries_however_long(client, client_for, paybill):
    api = client_for(paybill.treasurer.user)
    url = f"/api/v1/chamas/{paybill.chama.pk}/mpesa/paybill/"
    deliver(client, CallbackKind.C2B_CONFIRMATION, c2b(paybill.account(), receipt="SIF4QW8M10"))
    with CaptureQueriesContext(connection) as one:
        assert api.get(url).json()["count"] == 1
    for n in range(1, 10):
        deliver(client, CallbackKind.C2B_CONFIRMATION, c2b("CHM042M099", receipt=f"SIF4QW8M2{n}"))
    with CaptureQueriesContext(connection) as ten:
        assert api.get(url).json()["count"] == 10

    assert len(one) == len(ten)
