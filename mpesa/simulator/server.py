"""A local Daraja: a real HTTP server on loopback that answers like Safaricom's API and calls our
callback URLs from a background thread, so the whole M-Pesa flow runs on one machine.

`DarajaSimulator.handle` is the whole behaviour; the HTTP classes at the bottom only carry bytes.
See mpesa/DARAJA.md for the scenarios and the control endpoints.
"""

from __future__ import annotations

import base64
import binascii
import functools
import heapq
import itertools
import json
import logging
import re
import secrets
import string
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from mpesa.client import (
    NAIROBI,
    SIMULATOR_SECURITY_CREDENTIAL,
    SPIKE_ARREST,
    DarajaConfig,
    stk_password,
)
from mpesa.simulator import payloads
from mpesa.simulator.scenarios import (
    B2C_OUTCOMES,
    C2B_OUTCOMES,
    INITIATOR_INVALID_DESC,
    STK_OUTCOMES,
    Outcome,
    Scenario,
)

logger = logging.getLogger("mpesa.simulator")

Reply = tuple[int, Any]

TOKEN_PATH = "/oauth/v1/generate"  # noqa: S105 (a path, not a secret)
STK_PUSH_PATH = "/mpesa/stkpush/v1/processrequest"
TOKEN_LIFETIME_SECONDS = 3599
MAX_BODY_BYTES = 1_000_000
# Daraja refuses callback URLs containing these words.
FORBIDDEN_URL_WORDS = ("mpesa", "safaricom", "query", "sql", "exec", "cmd")
MSISDN = re.compile(r"254[17]\d{8}")
TIMESTAMP = re.compile(r"\d{14}")
TOKEN_ALPHABET = string.ascii_letters + string.digits
SIMULATED_ORGANISATION = "HAZINA CHAMA"
# Daraja does not document what a status query reports for a transaction it cannot find.
STATUS_NOT_FOUND = Outcome(
    1, "No transaction matches the TransactionID or OriginatorConversationID."
)
B2C_CHARGE = 22.40

STK_FIELDS = (
    "BusinessShortCode",
    "Password",
    "Timestamp",
    "TransactionType",
    "Amount",
    "PartyA",
    "PartyB",
    "PhoneNumber",
    "CallBackURL",
    "AccountReference",
    "TransactionDesc",
)
STK_QUERY_FIELDS = ("BusinessShortCode", "Password", "Timestamp", "CheckoutRequestID")
REGISTER_FIELDS = ("ShortCode", "ResponseType", "ConfirmationURL", "ValidationURL")
C2B_SIMULATE_FIELDS = ("ShortCode", "CommandID", "Amount", "Msisdn")
B2C_FIELDS = (
    "OriginatorConversationID",
    "InitiatorName",
    "SecurityCredential",
    "CommandID",
    "Amount",
    "PartyA",
    "PartyB",
    "Remarks",
    "QueueTimeOutURL",
    "ResultURL",
)
STATUS_FIELDS = (
    "Initiator",
    "SecurityCredential",
    "CommandID",
    "PartyA",
    "IdentifierType",
    "ResultURL",
    "QueueTimeOutURL",
)


@dataclass(frozen=True)
class Delivery:
    """One callback the simulator POSTed, with our server's answer (status None: no answer).

    `kind` is stk_callback, c2b_validation, c2b_confirmation, b2c_result, b2c_timeout or
    status_result.
    """

    kind: str
    url: str
    payload: dict[str, Any]
    status: int | None
    body: str


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    auth: str  # the Authorization scheme ("Basic", "Bearer") without the secret
    body: Any


@dataclass(frozen=True)
class _Payment:
    kind: str  # stk, c2b, b2c
    receipt: str
    amount: int
    msisdn: str
    outcome: Outcome
    initiated: datetime
    originator_conversation_id: str = ""
    conversation_id: str = ""


@dataclass(frozen=True)
class _Prompt:
    merchant_request_id: str
    checkout_request_id: str
    outcome: Outcome
    settles_at: float  # time.monotonic(): the status query says "being processed" until then


@dataclass(frozen=True)
class _C2BUrls:
    validation: str
    confirmation: str
    response_type: str


def _now() -> datetime:
    return datetime.now(tz=NAIROBI)


def _bad(field: str) -> Reply:
    return payloads.gateway_error("400.002.02", f"Bad Request - Invalid {field}")


def _first_missing(body: dict[str, Any], fields: tuple[str, ...]) -> Reply | None:
    for name in fields:
        if body.get(name) in (None, ""):
            return _bad(name)
    return None


def _whole_amount(value: Any, low: int, high: int) -> int | None:
    """Whole shillings sent as a number or a string ("500"), within the limits."""
    if isinstance(value, bool):
        return None
    whole_float = isinstance(value, float) and value.is_integer()
    digits = isinstance(value, str) and value.strip().isdigit()
    if not (isinstance(value, int) or whole_float or digits):
        return None
    amount = int(value)
    return amount if low <= amount <= high else None


def _url_ok(value: Any) -> bool:
    text = str(value)
    parts = urlsplit(text)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(word in text.lower() for word in FORBIDDEN_URL_WORDS)
    )


def _validation_accepted(delivery: Delivery, response_type: str) -> bool:
    """Our validation answer; without one, the registered ResponseType decides."""
    if delivery.status == 200:
        try:
            answer = json.loads(delivery.body)
        except ValueError:
            answer = None
        if isinstance(answer, dict):
            return str(answer.get("ResultCode")) == "0"
    return response_type == "Completed"


class _Dispatcher:
    """Runs jobs (callback deliveries) at their due time on a small thread pool."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._sequence = itertools.count()
        self._stopped = False
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="daraja-callback")
        self._thread = threading.Thread(target=self._run, name="daraja-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def schedule(self, delay: float, job: Callable[[], None]) -> None:
        with self._cond:
            if self._stopped:
                return
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._sequence), job))
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._heap.clear()
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopped and (not self._heap or self._heap[0][0] > time.monotonic()):
                    wait = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._cond.wait(wait)
                if self._stopped:
                    return
                _, _, job = heapq.heappop(self._heap)
            self._pool.submit(job)


class DarajaSimulator:
    """Daraja on loopback. Also the test handle: queue scenarios, read requests and deliveries.

    The socket is bound on construction (port 0 picks a free one: see `base_url`); `start()`
    serves from background threads, `serve_forever()` from the calling thread.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8001,
        scenario: Scenario | str = Scenario.SUCCESS,
        delay: float = 2.0,
        late_delay: float = 30.0,
        callback_timeout: float = 10.0,
        consumer_key: str,
        consumer_secret: str,
        stk_shortcode: str,
        passkey: str,
        c2b_shortcode: str,
        b2c_shortcode: str,
        initiator_name: str,
    ) -> None:
        self.scenario = Scenario(scenario)
        if self.scenario is Scenario.SPIKE_ARREST:
            raise ValueError("spike_arrest can be queued, not made the default scenario.")
        self.delay = delay
        self.late_delay = late_delay
        self.callback_timeout = callback_timeout
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.stk_shortcode = stk_shortcode
        self.passkey = passkey
        self.c2b_shortcode = c2b_shortcode
        self.b2c_shortcode = b2c_shortcode
        self.initiator_name = initiator_name

        # One re-entrant lock guards all state; its condition wakes wait_for_deliveries.
        self._state = threading.Condition(threading.RLock())
        self._overrides: deque[list[Any]] = deque()  # [scenario, remaining]
        self._token = ""
        self._token_expires = 0.0
        self._requests: list[RecordedRequest] = []
        self._deliveries: list[Delivery] = []
        self._prompts: dict[str, _Prompt] = {}
        self._payments: dict[str, _Payment] = {}  # by receipt
        self._b2c: dict[str, _Payment] = {}  # by OriginatorConversationID
        self._issued: set[str] = set()  # receipts and ids handed out
        self._c2b_urls: dict[str, _C2BUrls] = {}
        self._sequence = itertools.count(1)
        self._c2b_balance = 0.0
        self._b2c_utility_balance = 50_000_000.0
        self._b2c_charges_balance = 0.0

        self._routes: dict[tuple[str, str], Callable[[dict[str, Any]], Reply]] = {
            ("POST", STK_PUSH_PATH): self._stk_push,
            ("POST", "/mpesa/stkpushquery/v1/query"): self._stk_query,
            ("POST", "/mpesa/c2b/v1/registerurl"): self._c2b_register,
            ("POST", "/mpesa/c2b/v1/simulate"): self._c2b_simulate,
            ("POST", "/mpesa/b2c/v3/paymentrequest"): self._b2c_payment,
            ("POST", "/mpesa/transactionstatus/v1/query"): self._transaction_status,
        }
        self._dispatcher = _Dispatcher()
        self._server = _Server((host, port), self)
        self._thread: threading.Thread | None = None
        self._stopped = False

    @classmethod
    def from_settings(cls, **options: Any) -> DarajaSimulator:
        """A simulator that accepts the credentials the configured client sends."""
        config = DarajaConfig.from_settings()
        values: dict[str, Any] = {
            "consumer_key": config.consumer_key,
            "consumer_secret": config.consumer_secret,
            "stk_shortcode": config.stk_shortcode,
            "passkey": config.passkey,
            "c2b_shortcode": config.c2b_shortcode,
            "b2c_shortcode": config.b2c_shortcode,
            "initiator_name": config.initiator_name,
        }
        values.update(options)
        return cls(**values)

    # --- lifecycle -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> DarajaSimulator:
        self._dispatcher.start()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="daraja-simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve from this thread until interrupted (the management command)."""
        self._dispatcher.start()
        try:
            self._server.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop serving and delivering; callbacks not yet due are dropped."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()
        self._dispatcher.stop()

    def __enter__(self) -> DarajaSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- the test handle -----------------------------------------------------------------

    def queue(self, scenario: Scenario | str, count: int = 1) -> None:
        """Use `scenario` for the next `count` requests (spike_arrest: the next API calls;
        others: the next STK Push, C2B simulate or B2C), before the default comes back."""
        chosen = Scenario(scenario)
        if count < 1:
            raise ValueError("count must be at least 1.")
        with self._state:
            self._overrides.append([chosen, count])

    @property
    def queued(self) -> list[dict[str, Any]]:
        with self._state:
            return [{"scenario": str(s), "count": n} for s, n in self._overrides]

    @property
    def deliveries(self) -> list[Delivery]:
        with self._state:
            return list(self._deliveries)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if urlsplit(r.path).path.rstrip("/") == path]

    @property
    def token_request_count(self) -> int:
        return len(self.requests_to(TOKEN_PATH))

    @property
    def last_stk_request(self) -> dict[str, Any] | None:
        pushes = self.requests_to(STK_PUSH_PATH)
        return pushes[-1].body if pushes else None

    def wait_for_deliveries(
        self, n: int, *, timeout: float = 5.0, kind: str | None = None
    ) -> list[Delivery]:
        """Block until `n` callbacks (of `kind`, if given) were delivered; return them all."""

        def matching() -> list[Delivery]:
            return [d for d in self._deliveries if kind is None or d.kind == kind]

        with self._state:
            if not self._state.wait_for(lambda: len(matching()) >= n, timeout):
                raise TimeoutError(
                    f"{len(matching())} of {n} callbacks delivered in {timeout} s: "
                    f"{[(d.kind, d.url, d.status) for d in self._deliveries]}"
                )
            return matching()

    # --- requests ------------------------------------------------------------------------

    def handle(self, method: str, target: str, authorization: str, raw: bytes) -> Reply:
        """Answer one HTTP request: (status, JSON-able body)."""
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        if path.startswith("/simulator/"):
            return self._control(method, path, raw)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        with self._state:
            self._requests.append(
                RecordedRequest(method, target, authorization.partition(" ")[0], body)
            )
        route = self._routes.get((method, path))
        if route is None and (method, path) != ("GET", TOKEN_PATH):
            return payloads.gateway_error("404.001.01", "Resource not found")
        if self._spike_arrested():
            return payloads.gateway_error(SPIKE_ARREST, "Spike arrest violation")
        if route is None:
            return self._generate_token(parts.query, authorization)
        if refused := self._check_bearer(authorization):
            return refused
        if not isinstance(body, dict):
            return payloads.gateway_error("400.002.02", "Bad Request - Invalid JSON")
        return route(body)

    def _spike_arrested(self) -> bool:
        with self._state:
            if not self._overrides or self._overrides[0][0] is not Scenario.SPIKE_ARREST:
                return False
            self._use_override()
            return True

    def _use_override(self) -> Scenario:
        head = self._overrides[0]
        head[1] -= 1
        if head[1] == 0:
            self._overrides.popleft()
        return Scenario(head[0])

    def _outcome(self, table: dict[Scenario, Outcome], api: str) -> Outcome:
        with self._state:
            scenario = self._use_override() if self._overrides else self.scenario
        if scenario not in table:
            logger.warning("Scenario %s does not apply to %s: it succeeds.", scenario, api)
        return table.get(scenario, table[Scenario.SUCCESS])

    def _unique(self, make: Callable[[], str]) -> str:
        with self._state:
            while (value := make()) in self._issued:
                pass
            self._issued.add(value)
            return value

    def _generate_token(self, query: str, authorization: str) -> Reply:
        if parse_qs(query).get("grant_type") != ["client_credentials"]:
            return payloads.gateway_error("400.008.02", "Invalid grant type passed")
        scheme, _, encoded = authorization.partition(" ")
        try:
            credentials = base64.b64decode(encoded, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            credentials = ""
        if scheme != "Basic" or credentials != f"{self.consumer_key}:{self.consumer_secret}":
            return payloads.gateway_error("400.008.01", "Invalid Authentication passed")
        token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(28))
        with self._state:
            # Daraja keeps one live token per app: a new one invalidates the previous one.
            self._token = token
            self._token_expires = time.monotonic() + TOKEN_LIFETIME_SECONDS
        return 200, {"access_token": token, "expires_in": str(TOKEN_LIFETIME_SECONDS)}

    def _check_bearer(self, authorization: str) -> Reply | None:
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            return payloads.gateway_error("404.001.04", "Invalid Authentication Header")
        with self._state:
            live = token == self._token and time.monotonic() < self._token_expires
        if not live:
            return payloads.gateway_error("404.001.03", "Invalid Access Token")
        return None

    def _check_password(self, body: dict[str, Any]) -> Reply | None:
        shortcode = str(body["BusinessShortCode"])
        if shortcode != self.stk_shortcode:
            return _bad("BusinessShortCode")
        timestamp = str(body["Timestamp"])
        if not TIMESTAMP.fullmatch(timestamp):
            return _bad("Timestamp")
        if body["Password"] != stk_password(shortcode, self.passkey, timestamp):
            return payloads.gateway_error("500.001.1001", "Wrong credentials")
        return None

    def _initiator_ok(self, name: object, credential: object) -> bool:
        return name == self.initiator_name and credential == SIMULATOR_SECURITY_CREDENTIAL

    # --- STK Push ------------------------------------------------------------------------

    def _stk_push(self, body: dict[str, Any]) -> Reply:
        if refused := _first_missing(body, STK_FIELDS) or self._check_password(body):
            return refused
        if body["TransactionType"] not in ("CustomerPayBillOnline", "CustomerBuyGoodsOnline"):
            return _bad("TransactionType")
        amount = _whole_amount(body["Amount"], 1, 250_000)
        if amount is None:
            return _bad("Amount")
        for name in ("PartyA", "PhoneNumber"):
            if not MSISDN.fullmatch(str(body[name])):
                return _bad(name)
        if str(body["PartyB"]) != self.stk_shortcode:
            return _bad("PartyB")
        if not _url_ok(body["CallBackURL"]):
            return _bad("CallBackURL")
        if len(str(body["AccountReference"])) > 12:
            return _bad("AccountReference")
        if len(str(body["TransactionDesc"])) > 13:
            return _bad("TransactionDesc")

        outcome = self._outcome(STK_OUTCOMES, "STK Push")
        msisdn = str(body["PhoneNumber"])
        now = _now()
        prompt = _Prompt(
            merchant_request_id=self._unique(payloads.merchant_request_id_new),
            checkout_request_id=self._unique(
                lambda: payloads.checkout_request_id_new(now, next(self._sequence), msisdn)
            ),
            outcome=outcome,
            settles_at=time.monotonic() + self.delay,
        )
        receipt = self._unique(payloads.receipt_new)
        with self._state:
            self._prompts[prompt.checkout_request_id] = prompt
            if outcome.succeeded:
                self._payments[receipt] = _Payment("stk", receipt, amount, msisdn, outcome, now)
        callback = payloads.stk_callback(
            merchant_request_id=prompt.merchant_request_id,
            checkout_request_id=prompt.checkout_request_id,
            outcome=outcome,
            amount=amount,
            receipt=receipt,
            msisdn=msisdn,
            when=now,
        )
        self._send("stk_callback", str(body["CallBackURL"]), callback, outcome)
        return 200, payloads.stk_push_ack(prompt.merchant_request_id, prompt.checkout_request_id)

    def _stk_query(self, body: dict[str, Any]) -> Reply:
        if refused := _first_missing(body, STK_QUERY_FIELDS) or self._check_password(body):
            return refused
        checkout_request_id = str(body["CheckoutRequestID"])
        with self._state:
            prompt = self._prompts.get(checkout_request_id)
        if prompt is None:
            return _bad("CheckoutRequestID")
        if time.monotonic() < prompt.settles_at:
            return payloads.gateway_error(
                "500.001.1001", "The transaction is being processed", checkout_request_id
            )
        return 200, payloads.stk_query_reply(
            prompt.merchant_request_id, prompt.checkout_request_id, prompt.outcome
        )

    # --- C2B -----------------------------------------------------------------------------

    def _c2b_register(self, body: dict[str, Any]) -> Reply:
        if refused := _first_missing(body, REGISTER_FIELDS):
            return refused
        if str(body["ShortCode"]) != self.c2b_shortcode:
            return _bad("ShortCode")
        if body["ResponseType"] not in ("Completed", "Cancelled"):
            return _bad("ResponseType")
        for name in ("ConfirmationURL", "ValidationURL"):
            if not _url_ok(body[name]):
                return _bad(name)
        with self._state:
            self._c2b_urls[self.c2b_shortcode] = _C2BUrls(
                validation=str(body["ValidationURL"]),
                confirmation=str(body["ConfirmationURL"]),
                response_type=str(body["ResponseType"]),
            )
        return 200, payloads.c2b_ack("Success")

    def _c2b_simulate(self, body: dict[str, Any]) -> Reply:
        if refused := _first_missing(body, C2B_SIMULATE_FIELDS):
            return refused
        if str(body["ShortCode"]) != self.c2b_shortcode:
            return _bad("ShortCode")
        with self._state:
            urls = self._c2b_urls.get(self.c2b_shortcode)
        if urls is None:
            return payloads.gateway_error(
                "400.002.02", "Bad Request - No URLs registered for the ShortCode"
            )
        if body["CommandID"] not in ("CustomerPayBillOnline", "CustomerBuyGoodsOnline"):
            return _bad("CommandID")
        amount = _whole_amount(body["Amount"], 1, 250_000)
        if amount is None:
            return _bad("Amount")
        msisdn = str(body["Msisdn"])
        if not MSISDN.fullmatch(msisdn):
            return _bad("Msisdn")

        outcome = self._outcome(C2B_OUTCOMES, "C2B")
        trans_id = self._unique(payloads.receipt_new)
        now = _now()
        notification = functools.partial(
            payloads.c2b_notification,
            trans_id=trans_id,
            when=now,
            amount=amount,
            shortcode=self.c2b_shortcode,
            bill_ref=str(body.get("BillRefNumber", "")),
            msisdn=msisdn,
            buy_goods=body["CommandID"] == "CustomerBuyGoodsOnline",
        )

        def pay() -> None:
            validation = notification(balance=None)
            checked = self._deliver("c2b_validation", urls.validation, validation)
            if not _validation_accepted(checked, urls.response_type):
                return
            balance = self._c2b_credit(trans_id, amount, msisdn, outcome, now)
            confirmation = notification(balance=balance)
            self._deliver("c2b_confirmation", urls.confirmation, confirmation)
            for repeat in range(1, outcome.callbacks):
                self._dispatcher.schedule(
                    repeat * self.delay,
                    lambda: self._deliver_quietly(
                        "c2b_confirmation", urls.confirmation, confirmation
                    ),
                )

        if outcome.callbacks:
            self._dispatcher.schedule(self.late_delay if outcome.late else self.delay, pay)
        else:
            self._c2b_credit(trans_id, amount, msisdn, outcome, now)
        return 200, payloads.c2b_ack(payloads.ACCEPTED)

    def _c2b_credit(
        self, trans_id: str, amount: int, msisdn: str, outcome: Outcome, now: datetime
    ) -> float:
        with self._state:
            self._c2b_balance = round(self._c2b_balance + amount, 2)
            self._payments[trans_id] = _Payment("c2b", trans_id, amount, msisdn, outcome, now)
            return self._c2b_balance

    # --- B2C and transaction status ------------------------------------------------------

    def _b2c_payment(self, body: dict[str, Any]) -> Reply:
        if refused := _first_missing(body, B2C_FIELDS):
            return refused
        if body["CommandID"] not in ("BusinessPayment", "SalaryPayment", "PromotionPayment"):
            return _bad("CommandID")
        amount = _whole_amount(body["Amount"], 10, 250_000)
        if amount is None:
            return _bad("Amount")
        if str(body["PartyA"]) != self.b2c_shortcode:
            return _bad("PartyA")
        msisdn = str(body["PartyB"])
        if not MSISDN.fullmatch(msisdn):
            return _bad("PartyB")
        for name in ("QueueTimeOutURL", "ResultURL"):
            if not _url_ok(body[name]):
                return _bad(name)

        originator_id = str(body["OriginatorConversationID"])
        now = _now()
        with self._state:
            # The OriginatorConversationID is the payout's idempotency key: a repeat is refused.
            if originator_id in self._b2c:
                return payloads.gateway_error(
                    "400.002.02", "Bad Request - Duplicate OriginatorConversationID"
                )
            outcome = self._outcome(B2C_OUTCOMES, "B2C")
            if not self._initiator_ok(body["InitiatorName"], body["SecurityCredential"]):
                outcome = Outcome(2001, INITIATOR_INVALID_DESC)
            payment = _Payment(
                kind="b2c",
                receipt=self._unique(payloads.receipt_new),
                amount=amount,
                msisdn=msisdn,
                outcome=outcome,
                initiated=now,
                originator_conversation_id=originator_id,
                conversation_id=self._unique(lambda: payloads.conversation_id_new(now)),
            )
            self._b2c[originator_id] = payment
            self._payments[payment.receipt] = payment
            if outcome.succeeded:
                self._b2c_utility_balance = round(self._b2c_utility_balance - amount, 2)
                self._b2c_charges_balance = round(self._b2c_charges_balance - B2C_CHARGE, 2)
            balances = (self._b2c_utility_balance, self._b2c_charges_balance)

        if outcome.timed_out:
            timeout = payloads.b2c_timeout(originator_id, payment.conversation_id)
            self._send("b2c_timeout", str(body["QueueTimeOutURL"]), timeout, outcome)
        else:
            result = payloads.b2c_result(
                originator_conversation_id=originator_id,
                conversation_id=payment.conversation_id,
                outcome=outcome,
                receipt=payment.receipt,
                amount=amount,
                msisdn=msisdn,
                when=now + timedelta(seconds=2),
                utility_balance=balances[0],
                working_balance=350_000.0,
                charges_balance=balances[1],
            )
            self._send("b2c_result", str(body["ResultURL"]), result, outcome)
        return 200, payloads.b2c_ack(payment.conversation_id, originator_id)

    def _transaction_status(self, body: dict[str, Any]) -> Reply:
        if refused := _first_missing(body, STATUS_FIELDS):
            return refused
        if body["CommandID"] != "TransactionStatusQuery":
            return _bad("CommandID")
        transaction_id = str(body.get("TransactionID") or "")
        originator_id = str(body.get("OriginatorConversationID") or "")
        if not (transaction_id or originator_id):
            return _bad("TransactionID")
        for name in ("QueueTimeOutURL", "ResultURL"):
            if not _url_ok(body[name]):
                return _bad(name)

        now = _now()
        with self._state:
            payment = self._payments.get(transaction_id) or self._b2c.get(originator_id)
        query_id = self._unique(payloads.request_id_new)
        conversation_id = self._unique(lambda: payloads.conversation_id_new(now))
        if not self._initiator_ok(body["Initiator"], body["SecurityCredential"]):
            found, parameters = Outcome(2001, INITIATOR_INVALID_DESC), None
        elif payment is None:
            found, parameters = STATUS_NOT_FOUND, None
        elif not payment.outcome.succeeded:
            found, parameters = payment.outcome, None
        else:
            found, parameters = Outcome(), self._status_parameters(payment)
        result = payloads.status_result(
            originator_conversation_id=query_id,
            conversation_id=conversation_id,
            transaction_id=self._unique(payloads.receipt_new),
            occasion=str(body.get("Occasion") or ""),
            result_code=found.result_code,
            result_desc=found.result_desc,
            parameters=parameters,
        )
        self._send("status_result", str(body["ResultURL"]), result, Outcome())
        return 200, payloads.status_ack(query_id, conversation_id)

    def _status_parameters(self, payment: _Payment) -> list[dict[str, Any]]:
        customer = f"{payment.msisdn} - {payloads.SIMULATED_NAME}"
        if payment.kind == "b2c":
            organisation = f"{self.b2c_shortcode} - {SIMULATED_ORGANISATION}"
            debit, credit = organisation, customer
            reason = "Business Payment to Customer via API"
        else:
            shortcode = self.stk_shortcode if payment.kind == "stk" else self.c2b_shortcode
            debit, credit = customer, f"{shortcode} - {SIMULATED_ORGANISATION}"
            reason = "Pay Bill Online" if payment.kind == "stk" else "Pay Bill"
        return payloads.status_parameters(
            debit_party=debit,
            credit_party=credit,
            originator_conversation_id=payment.originator_conversation_id,
            conversation_id=payment.conversation_id,
            receipt=payment.receipt,
            amount=payment.amount,
            reason_type=reason,
            initiated=payment.initiated,
            finalised=payment.initiated + timedelta(seconds=2),
        )

    # --- callbacks -----------------------------------------------------------------------

    def _send(self, kind: str, url: str, payload: dict[str, Any], outcome: Outcome) -> None:
        first = self.late_delay if outcome.late else self.delay
        for repeat in range(outcome.callbacks):
            self._dispatcher.schedule(
                first + repeat * self.delay, lambda: self._deliver_quietly(kind, url, payload)
            )

    def _deliver_quietly(self, kind: str, url: str, payload: dict[str, Any]) -> None:
        self._deliver(kind, url, payload)

    def _deliver(self, kind: str, url: str, payload: dict[str, Any]) -> Delivery:
        try:
            response = requests.post(url, json=payload, timeout=self.callback_timeout)
            delivery = Delivery(kind, url, payload, response.status_code, response.text)
        except requests.RequestException as exc:
            delivery = Delivery(kind, url, payload, None, str(exc))
        logger.info("Delivered %s to %s: %s", kind, url, delivery.status)
        with self._state:
            self._deliveries.append(delivery)
            self._state.notify_all()
        return delivery

    # --- control endpoints ---------------------------------------------------------------

    def _control(self, method: str, path: str, raw: bytes) -> Reply:
        if path == "/simulator/scenarios" and method == "POST":
            try:
                body = json.loads(raw or b"{}")
                self.queue(body["scenario"], int(body.get("count", 1)))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                names = ", ".join(s.value for s in Scenario)
                return 400, {"error": f"Send {{'scenario': one of {names}, 'count': n}} ({exc})."}
            return 200, self._scenarios()
        if path == "/simulator/scenarios" and method == "GET":
            return 200, self._scenarios()
        if path == "/simulator/deliveries" and method == "GET":
            return 200, [asdict(d) for d in self.deliveries]
        if path == "/simulator/requests" and method == "GET":
            return 200, [asdict(r) for r in self.requests]
        return 404, {"error": f"No control endpoint {method} {path}."}

    def _scenarios(self) -> dict[str, Any]:
        return {"default": str(self.scenario), "queued": self.queued}


class _Server(ThreadingHTTPServer):
    # Handler threads are joined on close (each request is short, and reads time out), so a
    # stopped simulator leaves no thread behind.
    daemon_threads = False
    request_queue_size = 128  # bursts of callers (socketserver's 5 makes the rest wait 1 s)

    def __init__(self, address: tuple[str, int], simulator: DarajaSimulator) -> None:
        self.simulator = simulator
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (its timeout) leaves a broken pipe: not worth a traceback.
        logger.debug("Request from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server_version = "DarajaSimulator/1"
    timeout = 10  # seconds a silent client may hold a handler thread

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            status, body = 413, {"error": "Request body too large."}
        else:
            raw = self.rfile.read(length) if length else b""
            assert isinstance(self.server, _Server)
            status, body = self.server.simulator.handle(
                method, self.path, self.headers.get("Authorization", ""), raw
            )
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)
