"""The callback endpoints: who may call, what is stored, what Daraja is answered."""

from decimal import Decimal

import pytest

from finance.models import Contribution, JournalEntry
from mpesa.choices import CallbackKind, CallbackOutcome
from mpesa.models import DarajaCallback
from mpesa.services.intake import callback_process
from tests.mpesa.daraja import SAFARICOM_IP, deliver, hook_path, pending_stk, stk_success

pytestmark = pytest.mark.django_db

ALL_KINDS = list(CallbackKind)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_callback_urls_avoid_the_words_safaricom_refuses(kind):
    path = hook_path(kind)

    assert path.startswith("/hooks/daraja/local-callback-token/")
    for word in ("mpesa", "safaricom", "query", "sql", "exec", "cmd"):
        assert word not in path.lower()


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_a_wrong_token_is_not_found_and_nothing_is_stored(client, paybill, kind):
    pending_stk(paybill.member)

    response = deliver(client, kind, stk_success("ws_CO_15092024143013452712345678"), token="guess")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
    assert DarajaCallback.objects.count() == 0
    assert Contribution.objects.count() == 0


def test_an_address_outside_the_allowlist_is_forbidden_and_credits_nothing(
    client, paybill, settings
):
    settings.MPESA_ALLOWED_IPS = ["196.201.214.0/24", "196.201.213.114"]
    pending_stk(paybill.member)

    response = deliver(client, CallbackKind.STK, stk_success(pending_checkout()), ip="10.1.2.3")

    assert response.status_code == 403
    assert response.json()["errors"][0] == {
        "code": "forbidden_source",
        "detail": "Callbacks are not accepted from this address.",
        "attr": None,
    }
    assert DarajaCallback.objects.count() == 0
    assert Contribution.objects.count() == 0


def test_an_allowed_address_is_processed(client, paybill, settings):
    settings.MPESA_ALLOWED_IPS = ["196.201.214.0/24"]
    pending_stk(paybill.member)

    response = deliver(client, CallbackKind.STK, stk_success(pending_checkout()), ip=SAFARICOM_IP)

    assert response.status_code == 200
    assert response.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}
    assert Contribution.objects.get().amount == Decimal("500.00")
    assert DarajaCallback.objects.get().source_ip == SAFARICOM_IP


def test_behind_a_trusted_proxy_the_forwarded_address_is_checked(client, paybill, settings):
    settings.MPESA_ALLOWED_IPS = ["196.201.214.0/24"]
    settings.TRUSTED_PROXIES = 1
    pending_stk(paybill.member)

    spoofed = client.post(
        hook_path(CallbackKind.STK),
        data=stk_success(pending_checkout()),
        content_type="application/json",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"{SAFARICOM_IP}, 10.9.9.9",
    )
    genuine = client.post(
        hook_path(CallbackKind.STK),
        data=stk_success(pending_checkout()),
        content_type="application/json",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {SAFARICOM_IP}",
    )

    assert spoofed.status_code == 403
    assert genuine.status_code == 200
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b"{not json", "The callback could not be read: Not JSON"),
        (b'{"Body": {"stkCallback": {}}}', "The callback could not be read: Missing "),
        (b'"a string"', "The callback could not be read: Not a JSON object."),
    ],
)
def test_malformed_callbacks_are_stored_answered_400_and_credit_nothing(
    client, paybill, raw, detail
):
    pending_stk(paybill.member)

    response = deliver(client, CallbackKind.STK, None, raw=raw)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_callback"
    stored = DarajaCallback.objects.get()
    assert stored.body == raw.decode()
    assert stored.outcome == CallbackOutcome.INVALID
    assert stored.detail.startswith(detail)
    assert Contribution.objects.count() == 0


def test_a_huge_body_is_kept_in_part_and_never_read(client, paybill):
    pending_stk(paybill.member)
    huge = b'{"pad": "' + b"x" * (DarajaCallback.MAX_BODY * 3) + b'"}'

    response = deliver(client, CallbackKind.STK, None, raw=huge)

    assert response.status_code == 400
    stored = DarajaCallback.objects.get()
    assert len(stored.body) == DarajaCallback.MAX_BODY
    assert stored.body_size == len(huge)
    assert stored.detail == (
        f"The callback could not be read: The body is too large ({len(huge)} bytes)."
    )
    assert JournalEntry.objects.filter(chama=paybill.chama, entry_type="contribution").count() == 0


@pytest.mark.parametrize(
    ("raw", "stored_body", "detail"),
    [
        (
            b'{"Body": {"stkCallback": {"ResultDesc": "a\x00b"}}}',
            '{"Body": {"stkCallback": {"ResultDesc": "a\\x00b"}}}',
            "the body contains NUL bytes",
        ),
        (b'{"a": "\xff\xfe"}', '{"a": "\\xff\\xfe"}', "the body is not UTF-8 text"),
    ],
)
def test_bytes_the_database_cannot_hold_are_stored_escaped_and_marked_invalid_once(
    client, paybill, raw, stored_body, detail
):
    pending_stk(paybill.member)

    response = deliver(client, CallbackKind.STK, None, raw=raw)
    again = callback_process(callback=DarajaCallback.objects.get())

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_callback"
    stored = DarajaCallback.objects.get()
    assert (stored.body, stored.body_size) == (stored_body, len(raw))
    assert (stored.outcome, stored.detail) == (
        CallbackOutcome.INVALID,
        f"The callback could not be read: {detail}",
    )
    assert stored.processed_at is not None  # never picked up again by reconciliation
    assert again.outcome == CallbackOutcome.INVALID
    assert Contribution.objects.count() == 0


def test_a_deeply_nested_callback_is_invalid_not_left_for_ever(client, paybill):
    raw = b'{"Body": ' + b"[" * 5000 + b"]" * 5000 + b"}"

    response = deliver(client, CallbackKind.C2B_CONFIRMATION, None, raw=raw)

    assert response.status_code == 200  # a confirmation is always acknowledged
    stored = DarajaCallback.objects.get()
    assert stored.outcome == CallbackOutcome.INVALID
    assert stored.detail == (
        "The callback could not be read: Not JSON: JSON nested deeper than 32 levels."
    )


def test_a_malformed_confirmation_is_still_acknowledged_and_stored(client, paybill):
    response = deliver(client, CallbackKind.C2B_CONFIRMATION, None, raw=b"garbage")

    assert response.status_code == 200
    assert response.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}
    assert DarajaCallback.objects.get().outcome == CallbackOutcome.INVALID


def test_only_post_is_accepted(client):
    assert client.get(hook_path(CallbackKind.STK)).status_code == 405


def test_stored_headers_keep_evidence_but_no_credentials(client, paybill):
    pending_stk(paybill.member)

    client.post(
        hook_path(CallbackKind.STK),
        data=stk_success(pending_checkout()),
        content_type="application/json",
        HTTP_USER_AGENT="Apache-HttpClient/4.5",
        HTTP_AUTHORIZATION="Bearer secret",
        HTTP_COOKIE="sessionid=x",
    )

    headers = DarajaCallback.objects.get().headers
    assert headers["User-Agent"] == "Apache-HttpClient/4.5"
    assert "Authorization" not in headers
    assert "Cookie" not in headers


def pending_checkout() -> str:
    return "ws_CO_15092024143013452712345678"
