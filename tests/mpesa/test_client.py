"""The Daraja client against the local simulator over real HTTP."""

import base64
import datetime as dt
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from mpesa.client import (
    SIMULATOR_SECURITY_CREDENTIAL,
    B2CAck,
    DarajaClient,
    DarajaError,
    DarajaTimeout,
    StkPushAck,
    StkQueryResult,
    daraja_reference,
    daraja_timestamp,
    stk_password,
)
from mpesa.simulator import DarajaSimulator
from mpesa.simulator.payloads import gateway_error
from tests.mpesa.simulator_fixture import reference_payload

CALLBACK = "http://127.0.0.1:9/hooks/daraja/token/stk/"
RESULT_URL = "http://127.0.0.1:9/hooks/daraja/token/b2c/result/"
TIMEOUT_URL = "http://127.0.0.1:9/hooks/daraja/token/b2c/timeout/"
STK_PATH = "/mpesa/stkpush/v1/processrequest"
B2C_PATH = "/mpesa/b2c/v3/paymentrequest"


def fast_client(sleeps: list[float] | None = None, **options: Any) -> DarajaClient:
    """A client whose back-off sleeps are recorded instead of slept."""
    recorded = sleeps if sleeps is not None else []
    return DarajaClient.from_settings(
        backoff_seconds=0.1, backoff_cap_seconds=0.4, sleep=recorded.append, **options
    )


def push(client: DarajaClient, **overrides: Any) -> StkPushAck:
    values: dict[str, Any] = {
        "phone": "+254712345678",
        "amount": 500,
        "account_reference": "CHM042M017",
        "description": "Contribution",
        "callback_url": CALLBACK,
    }
    return client.stk_push(**(values | overrides))


def pay_out(
    client: DarajaClient, originator: str = "chm042-loan-000731-a1", **overrides: Any
) -> B2CAck:
    values: dict[str, Any] = {
        "originator_conversation_id": originator,
        "phone": "+254722334455",
        "amount": 25_000,
        "remarks": "Loan disbursement LN-000731",
        "occasion": "LN-000731",
        "result_url": RESULT_URL,
        "timeout_url": TIMEOUT_URL,
    }
    return client.b2c_payment(**(values | overrides))


def refuse_next(
    simulator: DarajaSimulator, count: int, code: str, message: str, path: str = STK_PATH
) -> None:
    """The next `count` calls to `path` get the gateway envelope `code`."""
    answer = simulator.handle
    remaining = [count]

    def handle(method: str, target: str, authorization: str, raw: bytes) -> Any:
        if target == path and remaining[0] > 0:
            remaining[0] -= 1
            return gateway_error(code, message)
        return answer(method, target, authorization, raw)

    simulator.handle = handle  # type: ignore[method-assign]


def new_token_elsewhere(simulator: DarajaSimulator, settings: Any) -> str:
    """Another app instance (not sharing our cache) fetches a token: ours dies."""
    response = requests.get(
        f"{simulator.base_url}/oauth/v1/generate?grant_type=client_credentials",
        auth=(settings.MPESA_CONSUMER_KEY, settings.MPESA_CONSUMER_SECRET),
        timeout=5,
    )
    return str(response.json()["access_token"])


# --- STK Push -------------------------------------------------------------------------------


def test_password_and_timestamp_match_the_reference_request() -> None:
    request = reference_payload("stk_push_request.json")
    # 14:30:12 in Nairobi is 11:30:12 UTC.
    with time_machine.travel(dt.datetime(2024, 9, 15, 11, 30, 12, tzinfo=dt.UTC), tick=False):
        timestamp = daraja_timestamp()
    passkey = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"

    assert timestamp == request["Timestamp"] == "20240915143012"
    assert stk_password("174379", passkey, timestamp) == request["Password"]


def test_stk_push_sends_daraja_fields(daraja_simulator: DarajaSimulator, settings: Any) -> None:
    ack = push(
        DarajaClient.from_settings(),
        account_reference="CHM042 M017!",
        description="Contribution for September",
    )

    sent = daraja_simulator.last_stk_request
    assert sent is not None
    assert ack == StkPushAck(
        merchant_request_id=ack.merchant_request_id,
        checkout_request_id=ack.checkout_request_id,
        customer_message="Success. Request accepted for processing",
    )
    assert ack.checkout_request_id.startswith("ws_CO_")
    assert set(sent) == set(reference_payload("stk_push_request.json"))
    assert sent["BusinessShortCode"] == 174379
    assert sent["TransactionType"] == "CustomerPayBillOnline"
    assert sent["Amount"] == "500"
    assert sent["PartyA"] == sent["PhoneNumber"] == "254712345678"
    assert sent["PartyB"] == "174379"
    assert sent["AccountReference"] == "CHM042-M017"
    assert sent["TransactionDesc"] == "Contribution"
    assert base64.b64decode(sent["Password"]).decode() == (
        f"174379{settings.MPESA_PASSKEY}{sent['Timestamp']}"
    )


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("CHM042M017", 12, "CHM042M017"),
        ("Chama #42 / M017", 12, "Chama-42-M01"),
        ("Contribution for September", 13, "Contribution"),
        ("  Loan  repayment ", 13, "Loan-repaymen"),
        ("Harambee ya Mama Wanjiku's", 13, "Harambee-ya-M"),
    ],
)
def test_references_keep_daraja_safe_characters(text: str, limit: int, expected: str) -> None:
    assert daraja_reference(text, limit) == expected


def test_a_reference_without_letters_or_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="no letters or digits"):
        daraja_reference(" !! ", 12)


@pytest.mark.parametrize("amount", [0, 250_001, -5, 1.5, True])
def test_stk_amount_outside_whole_shillings_1_to_250000_is_refused_before_sending(
    daraja_simulator: DarajaSimulator, amount: Any
) -> None:
    with pytest.raises(ValueError, match="amount"):
        push(DarajaClient.from_settings(), amount=amount)

    assert daraja_simulator.requests_to(STK_PATH) == []


def test_stk_amounts_at_the_limits_are_sent(daraja_simulator: DarajaSimulator) -> None:
    client = DarajaClient.from_settings()

    push(client, amount=1)
    push(client, amount=250_000)

    assert [r.body["Amount"] for r in daraja_simulator.requests_to(STK_PATH)] == ["1", "250000"]


def test_a_2541_number_goes_to_daraja_without_the_plus(daraja_simulator: DarajaSimulator) -> None:
    push(DarajaClient.from_settings(), phone="+254110987654")

    sent = daraja_simulator.last_stk_request
    assert sent is not None
    assert sent["PhoneNumber"] == "254110987654"


def test_a_phone_that_is_not_a_kenyan_mobile_is_refused(daraja_simulator: DarajaSimulator) -> None:
    with pytest.raises(ValueError, match="Kenyan mobile"):
        push(DarajaClient.from_settings(), phone="+255712345678")


def test_stk_query_is_pending_while_the_member_is_on_the_prompt(
    daraja_simulator: DarajaSimulator,
) -> None:
    daraja_simulator.delay = 0.5
    client = DarajaClient.from_settings()
    ack = push(client)

    assert client.stk_query(checkout_request_id=ack.checkout_request_id) == StkQueryResult(
        pending=True, result_code=None, result_desc="The transaction is being processed"
    )
    daraja_simulator.wait_for_deliveries(1)
    assert client.stk_query(checkout_request_id=ack.checkout_request_id) == StkQueryResult(
        pending=False,
        result_code=0,
        result_desc="The service request is processed successfully.",
    )


def test_stk_query_reports_a_cancelled_prompt_as_a_number(
    daraja_simulator: DarajaSimulator,
) -> None:
    daraja_simulator.queue("cancelled")
    client = DarajaClient.from_settings()
    ack = push(client)
    daraja_simulator.wait_for_deliveries(1)

    result = client.stk_query(checkout_request_id=ack.checkout_request_id)

    assert result == StkQueryResult(
        pending=False, result_code=1032, result_desc="Request cancelled by user"
    )


def test_wrong_credentials_on_the_status_query_are_an_error_not_pending(
    daraja_simulator: DarajaSimulator, settings: Any
) -> None:
    ack = push(DarajaClient.from_settings())
    settings.MPESA_PASSKEY = "not-the-passkey"

    with pytest.raises(DarajaError) as caught:
        DarajaClient.from_settings().stk_query(checkout_request_id=ack.checkout_request_id)

    assert (caught.value.code, caught.value.message) == ("500.001.1001", "Wrong credentials")


def test_a_gateway_refusal_raises_with_its_code(daraja_simulator: DarajaSimulator) -> None:
    with pytest.raises(DarajaError) as caught:
        push(DarajaClient.from_settings(), callback_url="https://example.com/mpesa/callback/")

    error = caught.value
    assert (error.code, error.message, error.status, error.retryable) == (
        "400.002.02",
        "Bad Request - Invalid CallBackURL",
        400,
        False,
    )
    assert not isinstance(error, DarajaTimeout)


# --- OAuth token ------------------------------------------------------------------------------


def test_the_token_is_cached_under_the_consumer_key(
    daraja_simulator: DarajaSimulator, settings: Any
) -> None:
    client = DarajaClient.from_settings()

    first = client.access_token()
    push(client)
    push(DarajaClient.from_settings())

    assert daraja_simulator.token_request_count == 1
    assert cache.get(f"mpesa:daraja-token:{settings.MPESA_CONSUMER_KEY}") == first


class RecordingCache:
    """The Django cache, noting the timeout of each set() (Redis keeps its own clock, so
    travelling in time cannot expire a key there)."""

    def __init__(self) -> None:
        self.timeouts: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(cache, name)

    def set(self, key: str, value: Any, timeout: Any) -> None:
        self.timeouts[key] = timeout
        cache.set(key, value, timeout)


@pytest.mark.parametrize("expires_in", ["3599", 3599, 3599.0])
def test_the_token_is_kept_until_a_minute_before_daraja_expires_it(
    monkeypatch: pytest.MonkeyPatch, settings: Any, expires_in: Any
) -> None:
    recording = RecordingCache()
    monkeypatch.setattr("mpesa.client.transport.cache", recording)
    client = DarajaClient.from_settings()
    monkeypatch.setattr(
        client, "_request", lambda *a, **k: {"access_token": "abc", "expires_in": expires_in}
    )

    assert client.access_token() == "abc"
    assert recording.timeouts == {f"mpesa:daraja-token:{settings.MPESA_CONSUMER_KEY}": 3539}


def test_threads_calling_at_once_share_one_token(daraja_simulator: DarajaSimulator) -> None:
    # Separate clients, as in separate web and worker processes: only the cache is shared.
    clients = [DarajaClient.from_settings() for _ in range(12)]
    start = threading.Barrier(len(clients))
    acks: list[StkPushAck] = []
    errors: list[Exception] = []

    def pay(client: DarajaClient) -> None:
        start.wait()
        try:
            acks.append(push(client))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=pay, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    assert len(acks) == len(clients)
    assert daraja_simulator.token_request_count == 1
    assert len(daraja_simulator.requests_to(STK_PATH)) == len(clients)


def test_a_token_invalidated_elsewhere_is_replaced_and_the_call_retried_once(
    daraja_simulator: DarajaSimulator, settings: Any
) -> None:
    client = DarajaClient.from_settings()
    stale = client.access_token()
    new_token_elsewhere(daraja_simulator, settings)

    push(client)

    assert daraja_simulator.token_request_count == 3
    assert len(daraja_simulator.requests_to(STK_PATH)) == 2
    assert client.access_token() not in (stale, "")


def test_a_refused_token_is_not_dropped_when_another_process_already_replaced_it(
    daraja_simulator: DarajaSimulator, settings: Any
) -> None:
    client = DarajaClient.from_settings()
    stale = client.access_token()
    fresh = new_token_elsewhere(daraja_simulator, settings)
    cache.set(f"mpesa:daraja-token:{settings.MPESA_CONSUMER_KEY}", fresh, 60)

    assert client.access_token(replacing=stale) == fresh
    assert daraja_simulator.token_request_count == 2


def test_a_token_refused_twice_is_an_error_not_a_loop(
    daraja_simulator: DarajaSimulator,
) -> None:
    client = DarajaClient.from_settings()
    client.access_token()
    refuse_next(daraja_simulator, 2, "404.001.03", "Invalid Access Token")

    with pytest.raises(DarajaError) as caught:
        push(client)

    assert caught.value.code == "404.001.03"


# --- Back-off, timeouts, connection failures ----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [("500.003.02", "Spike arrest violation"), ("500.003.03", "Quota violation")],
)
def test_gateway_load_refusals_are_retried_with_growing_delays(
    daraja_simulator: DarajaSimulator, code: str, message: str
) -> None:
    sleeps: list[float] = []
    client = fast_client(sleeps)
    client.access_token()
    refuse_next(daraja_simulator, 3, code, message)

    ack = push(client)

    assert ack.checkout_request_id
    assert len(sleeps) == 3
    for delay, cap in zip(sleeps, (0.1, 0.2, 0.4), strict=True):
        assert cap / 2 <= delay <= cap


def test_back_off_is_capped_and_gives_up_after_the_configured_retries(
    daraja_simulator: DarajaSimulator,
) -> None:
    sleeps: list[float] = []
    client = fast_client(sleeps, retries=4)
    client.access_token()
    daraja_simulator.queue("spike_arrest", count=10)

    with pytest.raises(DarajaError) as caught:
        push(client)

    assert (caught.value.code, caught.value.retryable) == ("500.003.02", True)
    assert len(daraja_simulator.requests_to(STK_PATH)) == 5
    assert max(sleeps) <= 0.4
    assert len(sleeps) == 4


def test_the_simulated_spike_arrest_is_ridden_out(daraja_simulator: DarajaSimulator) -> None:
    sleeps: list[float] = []
    daraja_simulator.queue("spike_arrest", count=2)

    ack = push(fast_client(sleeps))

    assert ack.checkout_request_id
    assert len(sleeps) == 2  # the token request was refused twice


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_connection_refused_before_sending_is_retried_even_for_b2c(settings: Any) -> None:
    settings.MPESA_BASE_URL = f"http://127.0.0.1:{closed_port()}"
    settings.MPESA_ENVIRONMENT = "simulator"
    settings.MPESA_CERTIFICATE_PATH = ""
    sleeps: list[float] = []
    client = fast_client(sleeps, retries=2)
    cache.set(f"mpesa:daraja-token:{settings.MPESA_CONSUMER_KEY}", "cached-token", 60)

    with pytest.raises(DarajaError) as caught:
        pay_out(client)

    assert (caught.value.code, caught.value.retryable) == ("connection_error", True)
    assert not isinstance(caught.value, DarajaTimeout)
    assert len(sleeps) == 2


@pytest.fixture
def slow_daraja(
    daraja_simulator: DarajaSimulator, settings: Any
) -> Iterator[Callable[[str], list[str]]]:
    """Make calls to `path` hang past the client's timeout; returns the paths that reached it."""
    settings.MPESA_TIMEOUT_SECONDS = 0.2
    release = threading.Event()
    reached: list[str] = []
    answer = daraja_simulator.handle

    def slow(path: str) -> list[str]:
        def handle(method: str, target: str, authorization: str, raw: bytes) -> Any:
            if target == path:
                reached.append(target)
                release.wait(5)
            return answer(method, target, authorization, raw)

        daraja_simulator.handle = handle  # type: ignore[method-assign]
        return reached

    yield slow
    release.set()


def test_an_unanswered_b2c_raises_timeout_and_is_never_resent(
    daraja_simulator: DarajaSimulator, slow_daraja: Callable[[str], list[str]]
) -> None:
    sleeps: list[float] = []
    client = fast_client(sleeps)
    client.access_token()
    reached = slow_daraja(B2C_PATH)

    with pytest.raises(DarajaTimeout) as caught:
        pay_out(client)

    assert caught.value.retryable is False
    assert reached == [B2C_PATH]
    assert sleeps == []


def test_an_unanswered_status_query_raises_timeout_that_may_be_retried(
    daraja_simulator: DarajaSimulator, slow_daraja: Callable[[str], list[str]]
) -> None:
    client = fast_client()
    ack = push(client)
    reached = slow_daraja("/mpesa/stkpushquery/v1/query")

    with pytest.raises(DarajaTimeout) as caught:
        client.stk_query(checkout_request_id=ack.checkout_request_id)

    assert caught.value.retryable is True
    assert len(reached) == 1


def test_a_connection_dropped_after_sending_a_b2c_is_an_unknown_outcome(
    daraja_simulator: DarajaSimulator,
) -> None:
    sleeps: list[float] = []
    client = fast_client(sleeps)
    client.access_token()
    answer = daraja_simulator.handle
    reached: list[str] = []

    def hang_up(method: str, target: str, authorization: str, raw: bytes) -> Any:
        if target == B2C_PATH:
            reached.append(target)
            raise ConnectionAbortedError("the gateway hung up")
        return answer(method, target, authorization, raw)

    daraja_simulator.handle = hang_up  # type: ignore[method-assign]

    with pytest.raises(DarajaTimeout):
        pay_out(client)

    assert reached == [B2C_PATH]
    assert sleeps == []


def test_a_malformed_base_url_is_a_request_error_not_a_timeout(settings: Any) -> None:
    settings.MPESA_BASE_URL = "daraja.invalid"
    cache.set(f"mpesa:daraja-token:{settings.MPESA_CONSUMER_KEY}", "cached-token", 60)

    with pytest.raises(DarajaError) as caught:
        push(fast_client())

    assert caught.value.code == "request_error"
    assert not isinstance(caught.value, DarajaTimeout)


# --- B2C, C2B and transaction status -------------------------------------------------------


def test_b2c_sends_the_v3_fields(daraja_simulator: DarajaSimulator) -> None:
    ack = pay_out(DarajaClient.from_settings())

    (request,) = daraja_simulator.requests_to(B2C_PATH)
    sent = request.body
    assert ack == B2CAck(
        conversation_id=ack.conversation_id, originator_conversation_id="chm042-loan-000731-a1"
    )
    assert ack.conversation_id.startswith("AG_")
    assert set(sent) == set(reference_payload("b2c_request.json"))
    assert sent["Occassion"] == "LN-000731"
    assert sent["CommandID"] == "BusinessPayment"
    assert sent["Amount"] == "25000"
    assert sent["PartyA"] == "600992"
    assert sent["PartyB"] == "254722334455"
    assert sent["InitiatorName"] == "testapi"
    assert sent["SecurityCredential"] == SIMULATOR_SECURITY_CREDENTIAL


@pytest.mark.parametrize("amount", [9, 250_001, 100.0])
def test_b2c_amount_outside_10_to_250000_is_refused_before_sending(
    daraja_simulator: DarajaSimulator, amount: Any
) -> None:
    with pytest.raises(ValueError, match="amount"):
        pay_out(DarajaClient.from_settings(), amount=amount)

    assert daraja_simulator.requests_to(B2C_PATH) == []


def test_a_repeated_originator_conversation_id_is_refused(
    daraja_simulator: DarajaSimulator,
) -> None:
    client = DarajaClient.from_settings()
    pay_out(client, "chm042-loan-000900-a1")

    with pytest.raises(DarajaError) as caught:
        pay_out(client, "chm042-loan-000900-a1")

    assert caught.value.code == "400.002.02"
    assert "Duplicate OriginatorConversationID" in caught.value.message


def make_certificate(directory: Path, encoding: serialization.Encoding) -> tuple[Path, Any]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test certificate")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    path = directory / f"daraja.{encoding.name.lower()}.cer"
    path.write_bytes(certificate.public_bytes(encoding))
    return path, key


@pytest.mark.parametrize("encoding", [serialization.Encoding.PEM, serialization.Encoding.DER])
def test_the_security_credential_is_the_password_encrypted_with_the_certificate(
    daraja_simulator: DarajaSimulator,
    settings: Any,
    tmp_path: Path,
    encoding: serialization.Encoding,
) -> None:
    path, key = make_certificate(tmp_path, encoding)
    settings.MPESA_CERTIFICATE_PATH = str(path)
    settings.MPESA_INITIATOR_PASSWORD = "Safaricom999!*!"

    pay_out(DarajaClient.from_settings())

    (request,) = daraja_simulator.requests_to(B2C_PATH)
    credential = base64.b64decode(request.body["SecurityCredential"])
    assert key.decrypt(credential, padding.PKCS1v15()) == b"Safaricom999!*!"


def test_outside_the_simulator_b2c_needs_the_certificate(settings: Any) -> None:
    settings.MPESA_ENVIRONMENT = "sandbox"
    settings.MPESA_CERTIFICATE_PATH = ""

    with pytest.raises(ImproperlyConfigured, match="MPESA_CERTIFICATE_PATH"):
        DarajaClient.from_settings().security_credential()


def test_transaction_status_by_originator_conversation_id(
    daraja_simulator: DarajaSimulator,
) -> None:
    client = DarajaClient.from_settings()
    pay_out(client, "chm042-loan-000950-a1")

    ack = client.transaction_status(
        originator_conversation_id="chm042-loan-000950-a1",
        result_url=RESULT_URL,
        timeout_url=TIMEOUT_URL,
    )

    assert ack["ResponseCode"] == "0"
    (request,) = daraja_simulator.requests_to("/mpesa/transactionstatus/v1/query")
    assert request.body["OriginatorConversationID"] == "chm042-loan-000950-a1"
    assert request.body["CommandID"] == "TransactionStatusQuery"
    assert request.body["Remarks"] == "Status query"


def test_transaction_status_needs_an_id() -> None:
    with pytest.raises(ValueError, match="transaction_id or an originator_conversation_id"):
        DarajaClient.from_settings().transaction_status(
            result_url=RESULT_URL, timeout_url=TIMEOUT_URL
        )


def test_c2b_register_and_simulate(daraja_simulator: DarajaSimulator) -> None:
    client = DarajaClient.from_settings()

    registered = client.c2b_register_urls(
        validation_url="http://127.0.0.1:9/hooks/daraja/token/c2b/validation/",
        confirmation_url="http://127.0.0.1:9/hooks/daraja/token/c2b/confirmation/",
    )
    simulated = client.c2b_simulate(amount=1500, account_reference="CHM042M017", phone="0712345678")

    assert registered["ResponseCode"] == simulated["ResponseCode"] == "0"
    (request,) = daraja_simulator.requests_to("/mpesa/c2b/v1/simulate")
    assert request.body == {
        "ShortCode": "600984",
        "CommandID": "CustomerPayBillOnline",
        "Amount": 1500,
        "Msisdn": "254712345678",
        "BillRefNumber": "CHM042M017",
    }


def test_c2b_simulate_does_not_exist_in_production(settings: Any) -> None:
    settings.MPESA_ENVIRONMENT = "production"

    with pytest.raises(DarajaError) as caught:
        DarajaClient.from_settings().c2b_simulate(
            amount=100, account_reference="CHM042M017", phone="+254712345678"
        )

    assert caught.value.code == "unsupported"


# --- Logging --------------------------------------------------------------------------------


def test_requests_and_responses_are_logged_without_secrets(
    daraja_simulator: DarajaSimulator,
    settings: Any,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path, _ = make_certificate(tmp_path, serialization.Encoding.PEM)
    settings.MPESA_CERTIFICATE_PATH = str(path)
    caplog.set_level(logging.INFO, logger="mpesa.client")
    client = DarajaClient.from_settings()

    token = client.access_token()
    push(client)
    pay_out(client)

    stk = daraja_simulator.last_stk_request
    (b2c,) = daraja_simulator.requests_to(B2C_PATH)
    assert stk is not None
    basic = base64.b64encode(
        f"{settings.MPESA_CONSUMER_KEY}:{settings.MPESA_CONSUMER_SECRET}".encode()
    ).decode()
    secrets = {
        "consumer secret": settings.MPESA_CONSUMER_SECRET,
        "basic credentials": basic,
        "access token": token,
        "STK password": stk["Password"],
        "passkey": settings.MPESA_PASSKEY,
        "security credential": b2c.body["SecurityCredential"],
        "initiator password": settings.MPESA_INITIATOR_PASSWORD,
    }
    leaked = [name for name, secret in secrets.items() if secret in caplog.text]
    assert leaked == []
    messages = [record.getMessage() for record in caplog.records]
    assert any(
        m.startswith("Daraja request GET /oauth/v1/generate") and "Basic ***" in m for m in messages
    )
    assert any(m.startswith("Daraja response GET /oauth/v1/generate") for m in messages)
    assert any(
        m.startswith(f"Daraja request POST {STK_PATH}")
        and "Bearer" not in m
        and '"Password": "***"' in m
        and '"AccountReference": "CHM042M017"' in m
        for m in messages
    )
    assert any(
        m.startswith(f"Daraja response POST {STK_PATH} status=200") and "CheckoutRequestID" in m
        for m in messages
    )
    assert any('"SecurityCredential": "***"' in m for m in messages)
    assert any('"access_token": "***"' in m for m in messages)
