"""The local Daraja over real HTTP: each scenario's callbacks reach a small receiver in the shapes
of the reference payloads (keys, nesting and JSON types)."""

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from mpesa.client import (
    DarajaClient,
    DarajaError,
    StkPushAck,
    daraja_timestamp,
    stk_password,
)
from mpesa.simulator import DarajaSimulator, Delivery, Scenario
from tests.mpesa.simulator_fixture import reference_payload

RECEIPT = re.compile(r"[A-Z0-9]{10}")
B2C_DATETIME = re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}")


def shape(value: Any) -> Any:
    """Keys, nesting and JSON types, without the values."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def metadata(callback: dict[str, Any]) -> dict[str, Any]:
    items = callback["Body"]["stkCallback"]["CallbackMetadata"]["Item"]
    return {item["Name"]: item.get("Value") for item in items}


def parameters(result: dict[str, Any]) -> dict[str, Any]:
    return {
        p["Key"]: p.get("Value") for p in result["Result"]["ResultParameters"]["ResultParameter"]
    }


class Receiver:
    """Our side of the callbacks: records each POST and answers 200 (a C2B validation of an
    account number starting with "BAD" is rejected with C2B00012)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.received.append((self.path, payload))
                answer: dict[str, Any] = {"ResultCode": 0, "ResultDesc": "Accepted"}
                if self.path.endswith("/validation/") and payload["BillRefNumber"].startswith(
                    "BAD"
                ):
                    answer = {"ResultCode": "C2B00012", "ResultDesc": "Rejected"}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}
        )
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/daraja/secret"

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def client(daraja_simulator: DarajaSimulator) -> DarajaClient:
    return DarajaClient.from_settings()


def push(client: DarajaClient, receiver: Receiver, phone: str = "+254712345678") -> StkPushAck:
    return client.stk_push(
        phone=phone,
        amount=500,
        account_reference="CHM042M017",
        description="Contribution",
        callback_url=f"{receiver.url}/stk/",
    )


def pay_out(client: DarajaClient, receiver: Receiver, originator: str) -> None:
    client.b2c_payment(
        originator_conversation_id=originator,
        phone="+254722334455",
        amount=25_000,
        remarks="Loan disbursement LN-000731",
        occasion="LN-000731",
        result_url=f"{receiver.url}/b2c/result/",
        timeout_url=f"{receiver.url}/b2c/timeout/",
    )


def token(simulator: DarajaSimulator, settings: Any) -> requests.Response:
    return requests.get(
        f"{simulator.base_url}/oauth/v1/generate?grant_type=client_credentials",
        auth=(settings.MPESA_CONSUMER_KEY, settings.MPESA_CONSUMER_SECRET),
        timeout=5,
    )


def stk_body(settings: Any, callback_url: str, **overrides: Any) -> dict[str, Any]:
    timestamp = daraja_timestamp()
    body = reference_payload("stk_push_request.json") | {
        "Timestamp": timestamp,
        "Password": stk_password(settings.MPESA_STK_SHORTCODE, settings.MPESA_PASSKEY, timestamp),
        "CallBackURL": callback_url,
    }
    return body | overrides


# --- token ----------------------------------------------------------------------------------


def test_a_new_token_invalidates_the_old_one(
    daraja_simulator: DarajaSimulator, receiver: Receiver, settings: Any
) -> None:
    first = token(daraja_simulator, settings).json()
    second = token(daraja_simulator, settings).json()
    url = f"{daraja_simulator.base_url}/mpesa/stkpush/v1/processrequest"
    body = stk_body(settings, f"{receiver.url}/stk/")

    refused = requests.post(
        url, json=body, headers={"Authorization": f"Bearer {first['access_token']}"}, timeout=5
    )
    accepted = requests.post(
        url, json=body, headers={"Authorization": f"Bearer {second['access_token']}"}, timeout=5
    )

    assert shape(first) == shape(reference_payload("oauth_response.json"))
    assert first["expires_in"] == "3599"
    assert refused.status_code == 404
    assert shape(refused.json()) == shape(reference_payload("api_error_invalid_token.json"))
    assert refused.json()["errorCode"] == "404.001.03"
    assert refused.json()["errorMessage"] == "Invalid Access Token"
    assert accepted.status_code == 200
    assert shape(accepted.json()) == shape(reference_payload("stk_push_response.json"))
    assert daraja_simulator.token_request_count == 2


def test_wrong_consumer_credentials_get_no_token(
    daraja_simulator: DarajaSimulator, settings: Any
) -> None:
    response = requests.get(
        f"{daraja_simulator.base_url}/oauth/v1/generate?grant_type=client_credentials",
        auth=(settings.MPESA_CONSUMER_KEY, "wrong"),
        timeout=5,
    )

    assert response.status_code == 400
    assert response.json()["errorCode"] == "400.008.01"


# --- STK Push -------------------------------------------------------------------------------


def test_stk_success_callback_has_the_reference_shape(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    ack = push(client, receiver)

    (delivery,) = daraja_simulator.wait_for_deliveries(1)

    assert delivery.status == 200
    assert delivery.url == f"{receiver.url}/stk/"
    assert receiver.received == [("/hooks/daraja/secret/stk/", delivery.payload)]
    assert shape(delivery.payload) == shape(reference_payload("stk_callback_success.json"))
    callback = delivery.payload["Body"]["stkCallback"]
    assert callback["CheckoutRequestID"] == ack.checkout_request_id
    assert callback["MerchantRequestID"] == ack.merchant_request_id
    assert callback["ResultCode"] == 0
    items = metadata(delivery.payload)
    assert items["Amount"] == 500
    assert RECEIPT.fullmatch(items["MpesaReceiptNumber"])
    assert items["Balance"] is None
    assert re.fullmatch(r"20\d{12}", str(items["TransactionDate"]))
    assert items["PhoneNumber"] == 254712345678


@pytest.mark.parametrize(
    ("scenario", "code", "desc", "like"),
    [
        ("cancelled", 1032, "Request cancelled by user", "stk_callback_cancelled.json"),
        ("unreachable", 1037, "DS timeout user cannot be reached", "stk_callback_timeout.json"),
        ("timeout", 1037, "DS timeout user cannot be reached", "stk_callback_timeout.json"),
        (
            "insufficient_funds",
            1,
            "The balance is insufficient for the transaction.",
            "stk_callback_cancelled.json",
        ),
        ("wrong_pin", 2001, "The initiator information is invalid.", "stk_callback_cancelled.json"),
    ],
)
def test_stk_failure_callbacks_have_the_reference_shape(
    daraja_simulator: DarajaSimulator,
    client: DarajaClient,
    receiver: Receiver,
    scenario: str,
    code: int,
    desc: str,
    like: str,
) -> None:
    daraja_simulator.queue(scenario)
    push(client, receiver, phone="+254110987654")

    (delivery,) = daraja_simulator.wait_for_deliveries(1)

    assert shape(delivery.payload) == shape(reference_payload(like))
    assert delivery.payload["Body"]["stkCallback"]["ResultCode"] == code
    assert delivery.payload["Body"]["stkCallback"]["ResultDesc"] == desc


def test_stk_duplicate_callback_is_delivered_twice(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    daraja_simulator.queue(Scenario.DUPLICATE_CALLBACK)
    push(client, receiver)

    first, second = daraja_simulator.wait_for_deliveries(2)

    assert first.payload == second.payload
    assert (
        metadata(first.payload)["MpesaReceiptNumber"]
        == (metadata(second.payload)["MpesaReceiptNumber"])
    )
    assert [path for path, _ in receiver.received] == ["/hooks/daraja/secret/stk/"] * 2


def test_stk_late_callback_arrives_after_the_status_query_settled(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    daraja_simulator.late_delay = 0.8
    daraja_simulator.queue(Scenario.LATE_CALLBACK)
    late = push(client, receiver)
    push(client, receiver)  # on time: its callback comes when the late one has settled
    daraja_simulator.wait_for_deliveries(1)

    settled = client.stk_query(checkout_request_id=late.checkout_request_id)

    assert (settled.pending, settled.result_code) == (False, 0)
    assert len(daraja_simulator.deliveries) == 1
    on_time, delivered_late = daraja_simulator.wait_for_deliveries(2, timeout=2)
    assert delivered_late.payload["Body"]["stkCallback"]["CheckoutRequestID"] == (
        late.checkout_request_id
    )
    assert on_time.payload["Body"]["stkCallback"]["CheckoutRequestID"] != (late.checkout_request_id)


def test_stk_no_callback_is_only_revealed_by_the_status_query(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    daraja_simulator.queue(Scenario.NO_CALLBACK)
    silent = push(client, receiver)
    heard = push(client, receiver)  # due at the same time, so delivered when the first would be

    (delivery,) = daraja_simulator.wait_for_deliveries(1)

    assert delivery.payload["Body"]["stkCallback"]["CheckoutRequestID"] == (
        heard.checkout_request_id
    )
    result = client.stk_query(checkout_request_id=silent.checkout_request_id)
    assert (result.pending, result.result_code) == (False, 0)


def test_the_stk_query_replies_have_the_reference_shapes(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver, settings: Any
) -> None:
    daraja_simulator.delay = 0.5
    ack = push(client, receiver)
    timestamp = daraja_timestamp()
    query = {
        "BusinessShortCode": 174379,
        "Password": stk_password(settings.MPESA_STK_SHORTCODE, settings.MPESA_PASSKEY, timestamp),
        "Timestamp": timestamp,
        "CheckoutRequestID": ack.checkout_request_id,
    }
    headers = {"Authorization": f"Bearer {client.access_token()}"}
    url = f"{daraja_simulator.base_url}/mpesa/stkpushquery/v1/query"

    processing = requests.post(url, json=query, headers=headers, timeout=5)
    daraja_simulator.wait_for_deliveries(1)
    completed = requests.post(url, json=query, headers=headers, timeout=5)

    assert processing.json() == {
        "requestId": ack.checkout_request_id,
        "errorCode": "500.001.1001",
        "errorMessage": "The transaction is being processed",
    }
    assert shape(completed.json()) == shape(reference_payload("stk_query_response.json"))
    assert completed.json()["ResultCode"] == "0"


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"Password": "bm90IHRoZSBwYXNzd29yZA=="}, ("500.001.1001", "Wrong credentials")),
        ({"Amount": "0"}, ("400.002.02", "Bad Request - Invalid Amount")),
        ({"Amount": "250001"}, ("400.002.02", "Bad Request - Invalid Amount")),
        (
            {"Amount": "\u00b2"},
            ("400.002.02", "Bad Request - Invalid Amount"),
        ),  # a digit, not ASCII
        ({"PhoneNumber": "0712345678"}, ("400.002.02", "Bad Request - Invalid PhoneNumber")),
        ({"PartyA": "+254712345678"}, ("400.002.02", "Bad Request - Invalid PartyA")),
        (
            {"AccountReference": "CHM042M017XYZ"},
            ("400.002.02", "Bad Request - Invalid AccountReference"),
        ),
        ({"CallBackURL": ""}, ("400.002.02", "Bad Request - Invalid CallBackURL")),
        ({"TransactionType": "Other"}, ("400.002.02", "Bad Request - Invalid TransactionType")),
    ],
)
def test_stk_push_refuses_what_daraja_refuses(
    daraja_simulator: DarajaSimulator,
    client: DarajaClient,
    receiver: Receiver,
    settings: Any,
    override: dict[str, Any],
    error: tuple[str, str],
) -> None:
    response = requests.post(
        f"{daraja_simulator.base_url}/mpesa/stkpush/v1/processrequest",
        json=stk_body(settings, f"{receiver.url}/stk/", **override),
        headers={"Authorization": f"Bearer {client.access_token()}"},
        timeout=5,
    )

    assert (response.json()["errorCode"], response.json()["errorMessage"]) == error
    assert response.status_code == int(error[0].split(".")[0])


def test_callback_urls_with_forbidden_words_are_refused(
    daraja_simulator: DarajaSimulator, client: DarajaClient
) -> None:
    with pytest.raises(DarajaError, match="Invalid CallBackURL"):
        client.stk_push(
            phone="+254712345678",
            amount=10,
            account_reference="CHM042M017",
            description="Contribution",
            callback_url="https://hazina.example/mpesa/stk/",
        )


# --- C2B ------------------------------------------------------------------------------------


def register(client: DarajaClient, receiver: Receiver) -> dict[str, Any]:
    return client.c2b_register_urls(
        validation_url=f"{receiver.url}/c2b/validation/",
        confirmation_url=f"{receiver.url}/c2b/confirmation/",
    )


def test_c2b_validation_then_confirmation_have_the_reference_shapes(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    registered = register(client, receiver)
    client.c2b_simulate(amount=1500, account_reference="CHM042M017", phone="+254712345678")

    validation, confirmation = daraja_simulator.wait_for_deliveries(2)

    assert registered["ResponseCode"] == "0"
    assert (validation.kind, confirmation.kind) == ("c2b_validation", "c2b_confirmation")
    assert shape(validation.payload) == shape(reference_payload("c2b_validation.json"))
    assert shape(confirmation.payload) == shape(reference_payload("c2b_confirmation.json"))
    for delivered in (validation.payload, confirmation.payload):
        assert delivered["TransAmount"] == "1500.00"
        assert delivered["MSISDN"] == "2547 ***** 678"
        assert delivered["BillRefNumber"] == "CHM042M017"
        assert delivered["BusinessShortCode"] == "600984"
        assert RECEIPT.fullmatch(delivered["TransID"])
    assert validation.payload["OrgAccountBalance"] == ""
    assert confirmation.payload["OrgAccountBalance"] == "1500.00"
    assert confirmation.payload["TransID"] == validation.payload["TransID"]


def test_c2b_rejected_by_validation_is_never_confirmed(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    register(client, receiver)
    client.c2b_simulate(amount=700, account_reference="BADACCOUNT", phone="+254712345678")
    (rejected,) = daraja_simulator.wait_for_deliveries(1)
    client.c2b_simulate(amount=800, account_reference="CHM042M017", phone="+254712345678")

    deliveries = daraja_simulator.wait_for_deliveries(3)

    assert json.loads(rejected.body)["ResultCode"] == "C2B00012"
    confirmations = [d for d in deliveries if d.kind == "c2b_confirmation"]
    assert [d.payload["BillRefNumber"] for d in confirmations] == ["CHM042M017"]
    assert confirmations[0].payload["OrgAccountBalance"] == "800.00"


def test_c2b_duplicate_confirmation(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    register(client, receiver)
    daraja_simulator.queue("duplicate_callback")
    client.c2b_simulate(amount=1500, account_reference="CHM042M017", phone="+254712345678")

    confirmations = daraja_simulator.wait_for_deliveries(2, kind="c2b_confirmation")

    assert confirmations[0].payload == confirmations[1].payload


# --- B2C and transaction status -------------------------------------------------------------


def test_b2c_success_result_has_the_reference_shape(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    pay_out(client, receiver, "chm042-loan-000731-a1")

    (delivery,) = daraja_simulator.wait_for_deliveries(1)

    assert (delivery.kind, delivery.url) == ("b2c_result", f"{receiver.url}/b2c/result/")
    assert shape(delivery.payload) == shape(reference_payload("b2c_result_success.json"))
    result = delivery.payload["Result"]
    assert (result["ResultCode"], result["OriginatorConversationID"]) == (
        0,
        "chm042-loan-000731-a1",
    )
    values = parameters(delivery.payload)
    assert values["TransactionAmount"] == 25_000
    assert values["TransactionReceipt"] == result["TransactionID"]
    assert RECEIPT.fullmatch(result["TransactionID"])
    assert B2C_DATETIME.fullmatch(values["TransactionCompletedDateTime"])
    assert values["ReceiverPartyPublicName"].startswith("254722334455 - ")


@pytest.mark.parametrize(("scenario", "code"), [("failure", 2001), ("insufficient_funds", 1)])
def test_b2c_failure_result_has_the_reference_shape(
    daraja_simulator: DarajaSimulator,
    client: DarajaClient,
    receiver: Receiver,
    scenario: str,
    code: int,
) -> None:
    daraja_simulator.queue(scenario)
    pay_out(client, receiver, "chm042-loan-000732-a1")

    (delivery,) = daraja_simulator.wait_for_deliveries(1)

    assert shape(delivery.payload) == shape(reference_payload("b2c_result_failure.json"))
    assert delivery.payload["Result"]["ResultCode"] == code


def test_b2c_duplicate_result_is_delivered_twice(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    daraja_simulator.queue("duplicate_callback")
    pay_out(client, receiver, "chm042-loan-000737-a1")

    first, second = daraja_simulator.wait_for_deliveries(2)

    assert first.payload == second.payload
    assert shape(first.payload) == shape(reference_payload("b2c_result_success.json"))


def test_b2c_timeout_then_the_status_query_reports_the_payment(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    daraja_simulator.queue("timeout")
    pay_out(client, receiver, "chm042-loan-000733-a1")
    (timed_out,) = daraja_simulator.wait_for_deliveries(1)

    ack = client.transaction_status(
        originator_conversation_id="chm042-loan-000733-a1",
        result_url=f"{receiver.url}/status/result/",
        timeout_url=f"{receiver.url}/status/timeout/",
    )
    _, status = daraja_simulator.wait_for_deliveries(2)

    assert (timed_out.kind, timed_out.url) == ("b2c_timeout", f"{receiver.url}/b2c/timeout/")
    assert shape(timed_out.payload) == shape(reference_payload("b2c_timeout.json"))
    assert timed_out.payload["Result"]["OriginatorConversationID"] == "chm042-loan-000733-a1"
    assert status.kind == "status_result"
    assert shape(status.payload) == shape(reference_payload("transaction_status_result_b2c.json"))
    assert status.payload["Result"]["OriginatorConversationID"] == ack["OriginatorConversationID"]
    values = parameters(status.payload)
    assert values["OriginatorConversationID"] == "chm042-loan-000733-a1"
    assert values["ConversationID"] == timed_out.payload["Result"]["ConversationID"]
    assert values["TransactionStatus"] == "Completed"
    assert values["Amount"] == "25000"
    assert RECEIPT.fullmatch(values["ReceiptNo"])


def test_the_status_query_finds_a_payment_by_its_receipt(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    pay_out(client, receiver, "chm042-loan-000734-a1")
    (paid,) = daraja_simulator.wait_for_deliveries(1)

    client.transaction_status(
        transaction_id=paid.payload["Result"]["TransactionID"],
        result_url=f"{receiver.url}/status/result/",
        timeout_url=f"{receiver.url}/status/timeout/",
    )
    _, status = daraja_simulator.wait_for_deliveries(2)

    assert parameters(status.payload)["ReceiptNo"] == paid.payload["Result"]["TransactionID"]


def test_the_status_of_a_failed_payout_is_its_failure(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    daraja_simulator.queue("failure")
    pay_out(client, receiver, "chm042-loan-000735-a1")
    daraja_simulator.wait_for_deliveries(1)

    client.transaction_status(
        originator_conversation_id="chm042-loan-000735-a1",
        result_url=f"{receiver.url}/status/result/",
        timeout_url=f"{receiver.url}/status/timeout/",
    )
    _, status = daraja_simulator.wait_for_deliveries(2)

    assert status.payload["Result"]["ResultCode"] == 2001
    assert "ResultParameters" not in status.payload["Result"]


def test_a_repeated_originator_conversation_id_is_rejected(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    pay_out(client, receiver, "chm042-loan-000736-a1")

    with pytest.raises(DarajaError) as caught:
        pay_out(client, receiver, "chm042-loan-000736-a1")
    pay_out(client, receiver, "chm042-loan-000736-a2")

    assert (caught.value.code, caught.value.status) == ("400.002.02", 400)
    assert caught.value.message == "Bad Request - Duplicate OriginatorConversationID"
    results = daraja_simulator.wait_for_deliveries(2)
    assert sorted(d.payload["Result"]["OriginatorConversationID"] for d in results) == [
        "chm042-loan-000736-a1",
        "chm042-loan-000736-a2",
    ]


def test_a_wrong_security_credential_fails_as_invalid_initiator(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    response = requests.post(
        f"{daraja_simulator.base_url}/mpesa/b2c/v3/paymentrequest",
        json=reference_payload("b2c_request.json")
        | {
            "InitiatorName": "testapi",
            "QueueTimeOutURL": f"{receiver.url}/b2c/timeout/",
            "ResultURL": f"{receiver.url}/b2c/result/",
        },
        headers={"Authorization": f"Bearer {client.access_token()}"},
        timeout=5,
    )

    (delivery,) = daraja_simulator.wait_for_deliveries(1)
    assert shape(response.json()) == shape(reference_payload("b2c_response.json"))
    assert delivery.payload["Result"]["ResultCode"] == 2001


# --- gateway and control --------------------------------------------------------------------


def test_spike_arrest_refuses_the_next_api_calls(
    daraja_simulator: DarajaSimulator, settings: Any
) -> None:
    daraja_simulator.queue("spike_arrest", count=2)

    answers = [token(daraja_simulator, settings) for _ in range(3)]

    assert [a.status_code for a in answers] == [500, 500, 200]
    assert [a.json().get("errorCode") for a in answers[:2]] == ["500.003.02"] * 2


def test_the_control_endpoint_queues_scenarios_and_lists_deliveries(
    daraja_simulator: DarajaSimulator, client: DarajaClient, receiver: Receiver
) -> None:
    control = f"{daraja_simulator.base_url}/simulator"

    queued = requests.post(
        f"{control}/scenarios", json={"scenario": "cancelled", "count": 2}, timeout=5
    )
    refused = requests.post(f"{control}/scenarios", json={"scenario": "maybe"}, timeout=5)
    for _ in range(3):
        push(client, receiver)
    daraja_simulator.wait_for_deliveries(3)
    listed = requests.get(f"{control}/deliveries", timeout=5).json()

    assert queued.json() == {
        "default": "success",
        "queued": [{"scenario": "cancelled", "count": 2}],
    }
    assert refused.status_code == 400
    assert sorted(d["payload"]["Body"]["stkCallback"]["ResultCode"] for d in listed) == [
        0,
        1032,
        1032,
    ]
    assert set(listed[0]) == {"kind", "url", "payload", "status", "body"}
    assert listed[0]["status"] == 200
    assert json.loads(listed[0]["body"]) == {"ResultCode": 0, "ResultDesc": "Accepted"}
    assert requests.get(f"{control}/scenarios", timeout=5).json()["queued"] == []


def test_the_default_scenario_answers_when_nothing_is_queued(
    settings: Any, receiver: Receiver
) -> None:
    with DarajaSimulator.from_settings(port=0, delay=0.01, scenario="cancelled") as simulator:
        settings.MPESA_BASE_URL = simulator.base_url
        push(DarajaClient.from_settings(), receiver)
        (delivery,) = simulator.wait_for_deliveries(1)

    assert delivery.payload["Body"]["stkCallback"]["ResultCode"] == 1032


def test_a_stopped_simulator_refuses_connections_and_leaves_no_threads(settings: Any) -> None:
    before = set(threading.enumerate())
    simulator = DarajaSimulator.from_settings(port=0, delay=0.01).start()
    url = simulator.base_url
    assert token(simulator, settings).status_code == 200

    simulator.stop()

    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/simulator/scenarios", timeout=1)
    assert [t.name for t in set(threading.enumerate()) - before if t.is_alive()] == []


def test_delivery_records_a_callback_nobody_answered(
    daraja_simulator: DarajaSimulator, client: DarajaClient
) -> None:
    with Receiver() as gone:
        url = gone.url
    client.stk_push(
        phone="+254712345678",
        amount=10,
        account_reference="CHM042M017",
        description="Contribution",
        callback_url=f"{url}/stk/",
    )

    (delivery,) = daraja_simulator.wait_for_deliveries(1)

    assert isinstance(delivery, Delivery)
    assert delivery.status is None
    assert delivery.body
