"""chamas/{id}/contributions/stk-push/: the contract, who may prompt whom, and bad input."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.models import Contribution
from groups.choices import Role
from mpesa.choices import CallbackKind, StkStatus
from mpesa.client import DarajaError
from mpesa.models import StkRequest
from tests.factories import make_chama
from tests.mpesa.daraja import deliver, stk_success

pytestmark = pytest.mark.django_db


def url(chama, checkout=None):
    base = f"/api/v1/chamas/{chama.pk}/contributions/stk-push/"
    return f"{base}{checkout}/" if checkout else base


def test_a_member_pays_for_themselves_and_the_callback_confirms_it(
    client, client_for, paybill, daraja
):
    api = client_for(paybill.member.user)

    response = api.post(url(paybill.chama), {"amount": "500"}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert body["checkout_request_id"] == "ws_CO_TEST0001"
    assert body["status"] == "pending"
    assert body["member_id"] == str(paybill.member.pk)
    assert body["account_reference"] == "CHM042M003"
    assert body["amount"] == "500.00"
    assert body["phone"] == "254712345678"
    assert daraja.pushes[0]["phone"] == "254712345678"
    assert daraja.pushes[0]["amount"] == 500
    assert daraja.pushes[0]["account_reference"] == "CHM042M003"
    assert daraja.pushes[0]["callback_url"].endswith("/hooks/daraja/local-callback-token/stk/")

    deliver(client, CallbackKind.STK, stk_success("ws_CO_TEST0001"))
    followed = api.get(url(paybill.chama, "ws_CO_TEST0001")).json()

    assert followed["status"] == "succeeded"
    assert followed["receipt"] == "SIF3XK7P2Q"
    assert followed["contribution_id"] == str(Contribution.objects.get().pk)


def test_an_official_prompts_a_member_on_another_phone(client_for, paybill, daraja):
    response = client_for(paybill.treasurer.user).post(
        url(paybill.chama),
        {"member_id": str(paybill.member.pk), "amount": "1500", "phone": "0722 334455"},
        format="json",
    )

    assert response.status_code == 202
    assert response.json()["phone"] == "254722334455"
    assert StkRequest.objects.get().requested_by == paybill.treasurer.user


def test_a_member_cannot_prompt_another_member(client_for, paybill, daraja):
    response = client_for(paybill.member.user).post(
        url(paybill.chama), {"member_id": str(paybill.chair.pk), "amount": "500"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["errors"][0]["detail"] == (
        "Only officials can request a payment from another member."
    )
    assert StkRequest.objects.count() == 0
    assert daraja.pushes == []


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CHAIR, 202),
        (Role.TREASURER, 202),
        (Role.SECRETARY, 202),
        (Role.MEMBER, 202),
        (Role.AUDITOR, 403),
    ],
)
def test_who_may_pay_by_prompt(client_for, roles, chama, role, status, daraja):
    response = client_for(roles[role].user).post(url(chama), {"amount": "100"}, format="json")

    assert response.status_code == status


def test_outsiders_get_404_and_anonymous_401(api, client_for, paybill, daraja):
    stranger = make_chama().memberships.get().user

    assert (
        client_for(stranger).post(url(paybill.chama), {"amount": "1"}, format="json").status_code
        == 404
    )
    assert api.post(url(paybill.chama), {"amount": "1"}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "code", "attr"),
    [
        ({"amount": "0"}, "min_value", "amount"),
        ({"amount": "10.50"}, "invalid_amount", "amount"),
        ({"amount": "250001"}, "invalid_amount", "amount"),
        ({"amount": "1.001"}, "max_decimal_places", "amount"),
        ({"amount": "100", "phone": "0201234567"}, "phone_not_mobile", "phone"),
        ({"amount": "100", "purpose": "gift"}, "invalid_choice", "purpose"),
        ({"amount": "100", "member_id": "not-a-uuid"}, "invalid", "member_id"),
        ({"amount": "100", "surprise": 1}, "unknown_field", "surprise"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_sent(client_for, paybill, daraja, body, code, attr):
    response = client_for(paybill.treasurer.user).post(url(paybill.chama), body, format="json")

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["attr"]) == (code, attr)
    assert StkRequest.objects.count() == 0
    assert daraja.pushes == []


def test_a_repeat_of_the_same_amount_within_two_minutes_is_refused(client_for, paybill, daraja):
    api = client_for(paybill.member.user)
    api.post(url(paybill.chama), {"amount": "500"}, format="json")

    again = api.post(url(paybill.chama), {"amount": "500"}, format="json")
    other_amount = api.post(url(paybill.chama), {"amount": "501"}, format="json")

    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "stk_too_soon"
    assert other_amount.status_code == 202
    assert len(daraja.pushes) == 2


def test_repaying_without_a_loan_is_a_conflict(client_for, paybill, daraja):
    response = client_for(paybill.member.user).post(
        url(paybill.chama), {"amount": "500", "purpose": "loan_repayment"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["errors"][0] == {
        "code": "no_live_loan",
        "detail": "This member has no loan being repaid.",
        "attr": None,
    }


def test_daraja_refusing_is_a_503_and_the_request_is_kept_as_not_sent(client_for, paybill, daraja):
    daraja.refuse = DarajaError("500.003.02", "Spike arrest violation", status=500, retryable=True)

    response = client_for(paybill.member.user).post(
        url(paybill.chama), {"amount": "500"}, format="json"
    )

    assert response.status_code == 503
    assert response.json()["errors"][0] == {
        "code": "mpesa_unavailable",
        "detail": "M-Pesa did not accept the payment request: Spike arrest violation",
        "attr": None,
    }
    assert StkRequest.objects.get().status == StkStatus.NOT_SENT


def test_daraja_unreachable_is_a_503_that_names_no_address(client_for, paybill, daraja, caplog):
    daraja.refuse = DarajaError(
        "connection_error",
        "Could not reach Daraja: HTTPConnectionPool(host='10.0.0.7', port=8001)",
        retryable=True,
    )

    response = client_for(paybill.member.user).post(
        url(paybill.chama), {"amount": "500"}, format="json"
    )

    assert response.status_code == 503
    assert response.json()["errors"][0] == {
        "code": "mpesa_unavailable",
        "detail": "M-Pesa is not answering right now. Try again in a minute.",
        "attr": None,
    }
    assert StkRequest.objects.get().status == StkStatus.NOT_SENT
    assert "10.0.0.7" in caplog.text  # the log keeps what went wrong


def test_members_see_their_own_prompts_officials_all_with_constant_queries(
    client_for, paybill, daraja
):
    client_for(paybill.member.user).post(url(paybill.chama), {"amount": "500"}, format="json")
    client_for(paybill.chair.user).post(url(paybill.chama), {"amount": "700"}, format="json")

    mine = client_for(paybill.member.user).get(url(paybill.chama)).json()["results"]
    treasurer = client_for(paybill.treasurer.user)
    with CaptureQueriesContext(connection) as two:
        everything = treasurer.get(url(paybill.chama)).json()["results"]
    for amount in range(10, 20):
        client_for(paybill.member.user).post(url(paybill.chama), {"amount": amount}, format="json")
    with CaptureQueriesContext(connection) as twelve:
        assert treasurer.get(url(paybill.chama)).json()["count"] == 12

    assert [p["amount"] for p in mine] == ["500.00"]
    assert {p["amount"] for p in everything} == {"500.00", "700.00"}
    assert len(two) == len(twelve)
    assert Decimal(everything[0]["amount"]) > 0
