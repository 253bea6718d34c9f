"""C2B: registering the validation and confirmation URLs, and simulating a paybill payment."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from mpesa.simulator import payloads
from mpesa.simulator.apis import fields
from mpesa.simulator.gateway import C2BUrls, Delivery, Gateway, Payment, Reply, now
from mpesa.simulator.scenarios import C2B_OUTCOMES, Outcome

REGISTER_PATH = "/mpesa/c2b/v1/registerurl"
SIMULATE_PATH = "/mpesa/c2b/v1/simulate"
REGISTER_FIELDS = ("ShortCode", "ResponseType", "ConfirmationURL", "ValidationURL")
SIMULATE_FIELDS = ("ShortCode", "CommandID", "Amount", "Msisdn")
SIMULATE_RULES = (
    ("CommandID", fields.one_of(*fields.CUSTOMER_PAYMENTS)),
    ("Amount", fields.amount_between(1, 250_000)),
    ("Msisdn", fields.is_msisdn),
)


def register(gateway: Gateway, body: dict[str, Any]) -> Reply:
    if refused := fields.first_missing(body, REGISTER_FIELDS) or fields.first_broken(
        body,
        (
            ("ShortCode", fields.equal_to(gateway.c2b_shortcode)),
            ("ResponseType", fields.one_of("Completed", "Cancelled")),
            ("ConfirmationURL", fields.is_url),
            ("ValidationURL", fields.is_url),
        ),
    ):
        return refused
    with gateway.lock:
        gateway.c2b_urls[gateway.c2b_shortcode] = C2BUrls(
            validation=str(body["ValidationURL"]),
            confirmation=str(body["ConfirmationURL"]),
            response_type=str(body["ResponseType"]),
        )
    return 200, payloads.c2b_ack("Success")


def simulate(gateway: Gateway, body: dict[str, Any]) -> Reply:
    if refused := fields.first_missing(body, SIMULATE_FIELDS) or fields.first_broken(
        body, (("ShortCode", fields.equal_to(gateway.c2b_shortcode)),)
    ):
        return refused
    with gateway.lock:
        urls = gateway.c2b_urls.get(gateway.c2b_shortcode)
    if urls is None:
        return payloads.gateway_error(
            "400.002.02", "Bad Request - No URLs registered for the ShortCode"
        )
    if refused := fields.first_broken(body, SIMULATE_RULES):
        return refused

    amount = fields.checked_amount(body)
    msisdn = str(body["Msisdn"])
    outcome = gateway.outcome(C2B_OUTCOMES, "C2B")
    trans_id = gateway.unique(payloads.receipt_new)
    when = now()
    notification = functools.partial(
        payloads.c2b_notification,
        trans_id=trans_id,
        when=when,
        amount=amount,
        shortcode=gateway.c2b_shortcode,
        bill_ref=str(body.get("BillRefNumber", "")),
        msisdn=msisdn,
        buy_goods=body["CommandID"] == "CustomerBuyGoodsOnline",
    )
    credit = functools.partial(
        _credit, gateway, Payment("c2b", trans_id, amount, msisdn, outcome, when)
    )
    if outcome.callbacks:
        gateway.dispatcher.schedule(
            gateway.late_delay if outcome.late else gateway.delay,
            functools.partial(_pay, gateway, urls, notification, credit, outcome),
        )
    else:
        credit()
    return 200, payloads.c2b_ack(payloads.ACCEPTED)


def _pay(
    gateway: Gateway,
    urls: C2BUrls,
    notification: Callable[..., dict[str, Any]],
    credit: Callable[[], float],
    outcome: Outcome,
) -> None:
    """Validation first: M-Pesa credits the paybill only if our server (or, when it does not
    answer, the registered ResponseType) accepts; then the confirmation carries the balance."""
    validation = notification(balance=None)
    checked = gateway.deliver("c2b_validation", urls.validation, validation)
    if not _validation_accepted(checked, urls.response_type):
        return
    confirmation = notification(balance=credit())
    gateway.deliver("c2b_confirmation", urls.confirmation, confirmation)
    for repeat in range(1, outcome.callbacks):
        gateway.dispatcher.schedule(
            repeat * gateway.delay,
            lambda: gateway.deliver_quietly("c2b_confirmation", urls.confirmation, confirmation),
        )


def _credit(gateway: Gateway, payment: Payment) -> float:
    with gateway.lock:
        gateway.c2b_balance = round(gateway.c2b_balance + payment.amount, 2)
        gateway.payments[payment.receipt] = payment
        return gateway.c2b_balance


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
