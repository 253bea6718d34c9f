"""What the simulated Daraja knows, and what all its APIs share.

`Gateway` holds the settings requests are checked against, the scenario queue, the tokens, prompts
and payments it issued, and the callbacks it delivered. The handlers in `mpesa.simulator.apis`
answer requests from it; `DarajaSimulator` serves it over HTTP.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from mpesa.client import NAIROBI, SIMULATOR_SECURITY_CREDENTIAL
from mpesa.simulator.dispatcher import Dispatcher
from mpesa.simulator.scenarios import Outcome, Scenario

logger = logging.getLogger("mpesa.simulator")

Reply = tuple[int, Any]


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
class Payment:
    kind: str  # stk, c2b, b2c
    receipt: str
    amount: int
    msisdn: str
    outcome: Outcome
    initiated: datetime
    originator_conversation_id: str = ""
    conversation_id: str = ""


@dataclass(frozen=True)
class Prompt:
    merchant_request_id: str
    checkout_request_id: str
    outcome: Outcome
    settles_at: float  # time.monotonic(): the status query says "being processed" until then


@dataclass(frozen=True)
class C2BUrls:
    validation: str
    confirmation: str
    response_type: str


def now() -> datetime:
    return datetime.now(tz=NAIROBI)


class Gateway:
    """The simulated Daraja's state. One re-entrant lock (`lock`) guards all of it; its
    condition wakes `wait_for_deliveries`."""

    def __init__(
        self,
        *,
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

        self.lock = threading.Condition(threading.RLock())
        self._overrides: deque[list[Any]] = deque()  # [scenario, remaining]
        self._requests: list[RecordedRequest] = []
        self._deliveries: list[Delivery] = []
        self._issued: set[str] = set()  # receipts and ids handed out
        self.token = ""
        self.token_expires = 0.0
        self.prompts: dict[str, Prompt] = {}
        self.payments: dict[str, Payment] = {}  # by receipt
        self.b2c: dict[str, Payment] = {}  # by OriginatorConversationID
        self.c2b_urls: dict[str, C2BUrls] = {}
        self.sequence = itertools.count(1)
        self.c2b_balance = 0.0
        self.b2c_utility_balance = 50_000_000.0
        self.b2c_charges_balance = 0.0
        self.dispatcher = Dispatcher()

    # --- the test handle -----------------------------------------------------------------

    def queue(self, scenario: Scenario | str, count: int = 1) -> None:
        """Use `scenario` for the next `count` requests (spike_arrest: the next API calls;
        others: the next STK Push, C2B simulate or B2C), before the default comes back."""
        chosen = Scenario(scenario)
        if count < 1:
            raise ValueError("count must be at least 1.")
        with self.lock:
            self._overrides.append([chosen, count])

    @property
    def queued(self) -> list[dict[str, Any]]:
        with self.lock:
            return [{"scenario": str(s), "count": n} for s, n in self._overrides]

    @property
    def deliveries(self) -> list[Delivery]:
        with self.lock:
            return list(self._deliveries)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self.lock:
            return list(self._requests)

    def wait_for_deliveries(
        self, n: int, *, timeout: float = 5.0, kind: str | None = None
    ) -> list[Delivery]:
        """Block until `n` callbacks (of `kind`, if given) were delivered; return them all."""

        def matching() -> list[Delivery]:
            return [d for d in self._deliveries if kind is None or d.kind == kind]

        with self.lock:
            if not self.lock.wait_for(lambda: len(matching()) >= n, timeout):
                raise TimeoutError(
                    f"{len(matching())} of {n} callbacks delivered in {timeout} s: "
                    f"{[(d.kind, d.url, d.status) for d in self._deliveries]}"
                )
            return matching()

    # --- shared by the APIs --------------------------------------------------------------

    def record(self, request: RecordedRequest) -> None:
        with self.lock:
            self._requests.append(request)

    def spike_arrested(self) -> bool:
        with self.lock:
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

    def outcome(self, table: dict[Scenario, Outcome], api: str) -> Outcome:
        with self.lock:
            scenario = self._use_override() if self._overrides else self.scenario
        if scenario not in table:
            logger.warning("Scenario %s does not apply to %s: it succeeds.", scenario, api)
        return table.get(scenario, table[Scenario.SUCCESS])

    def unique(self, make: Callable[[], str]) -> str:
        with self.lock:
            while (value := make()) in self._issued:
                pass
            self._issued.add(value)
            return value

    def initiator_ok(self, name: object, credential: object) -> bool:
        return name == self.initiator_name and credential == SIMULATOR_SECURITY_CREDENTIAL

    # --- callbacks -----------------------------------------------------------------------

    def send(self, kind: str, url: str, payload: dict[str, Any], outcome: Outcome) -> None:
        first = self.late_delay if outcome.late else self.delay
        for repeat in range(outcome.callbacks):
            self.dispatcher.schedule(
                first + repeat * self.delay, lambda: self.deliver_quietly(kind, url, payload)
            )

    def deliver_quietly(self, kind: str, url: str, payload: dict[str, Any]) -> None:
        self.deliver(kind, url, payload)

    def deliver(self, kind: str, url: str, payload: dict[str, Any]) -> Delivery:
        try:
            response = requests.post(url, json=payload, timeout=self.callback_timeout)
            delivery = Delivery(kind, url, payload, response.status_code, response.text)
        except requests.RequestException as exc:
            delivery = Delivery(kind, url, payload, None, str(exc))
        logger.info("Delivered %s to %s: %s", kind, url, delivery.status)
        with self.lock:
            self._deliveries.append(delivery)
            self.lock.notify_all()
        return delivery
