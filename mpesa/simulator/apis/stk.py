"""Lipa na M-Pesa Online: STK Push (the PIN prompt) and its status query."""

from __future__ import annotations

import re
import time
from typing import Any

from mpesa.client import stk_password
from mpesa.simulator import payloads
from mpesa.simulator.apis import fields
from mpesa.simulator.gateway import Gateway, Payment, Prompt, Reply, now
from mpesa.simulator.scenarios import STK_OUTCOMES

PUSH_PATH = "/mpesa/stkpush/v1/processrequest"
QUERY_PATH = "/mpesa/stkpushquery/v1/query"
PUSH_FIELDS = (
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
QUERY_FIELDS = ("BusinessShortCode", "Password", "Timestamp", "CheckoutRequestID")
TIMESTAMP = re.compile(r"\d{14}")


def push(gateway: Gateway, body: dict[str, Any]) -> Reply:
    if refused := (
        fields.first_missing(body, PUSH_FIELDS)
        or _password_refusal(gateway, body)
        or fields.first_broken(body, _push_rules(gateway))
    ):
        return refused
    amount = fields.checked_amount(body)
    outcome = gateway.outcome(STK_OUTCOMES, "STK Push")
    msisdn = str(body["PhoneNumber"])
    when = now()
    prompt = Prompt(
        merchant_request_id=gateway.unique(payloads.merchant_request_id_new),
        checkout_request_id=gateway.unique(
            lambda: payloads.checkout_request_id_new(when, next(gateway.sequence), msisdn)
        ),
        outcome=outcome,
        settles_at=time.monotonic() + gateway.delay,
    )
    receipt = gateway.unique(payloads.receipt_new)
    with gateway.lock:
        gateway.prompts[prompt.checkout_request_id] = prompt
        if outcome.succeeded:
            gateway.payments[receipt] = Payment("stk", receipt, amount, msisdn, outcome, when)
    callback = payloads.stk_callback(
        merchant_request_id=prompt.merchant_request_id,
        checkout_request_id=prompt.checkout_request_id,
        outcome=outcome,
        amount=amount,
        receipt=receipt,
        msisdn=msisdn,
        when=when,
    )
    gateway.send("stk_callback", str(body["CallBackURL"]), callback, outcome)
    return 200, payloads.stk_push_ack(prompt.merchant_request_id, prompt.checkout_request_id)


def query(gateway: Gateway, body: dict[str, Any]) -> Reply:
    if refused := fields.first_missing(body, QUERY_FIELDS) or _password_refusal(gateway, body):
        return refused
    checkout_request_id = str(body["CheckoutRequestID"])
    with gateway.lock:
        prompt = gateway.prompts.get(checkout_request_id)
    if prompt is None:
        return fields.bad("CheckoutRequestID")
    if time.monotonic() < prompt.settles_at:
        return payloads.gateway_error(
            "500.001.1001", "The transaction is being processed", checkout_request_id
        )
    return 200, payloads.stk_query_reply(
        prompt.merchant_request_id, prompt.checkout_request_id, prompt.outcome
    )


def _push_rules(gateway: Gateway) -> tuple[fields.Rule, ...]:
    return (
        ("TransactionType", fields.one_of(*fields.CUSTOMER_PAYMENTS)),
        ("Amount", fields.amount_between(1, 250_000)),
        ("PartyA", fields.is_msisdn),
        ("PhoneNumber", fields.is_msisdn),
        ("PartyB", fields.equal_to(gateway.stk_shortcode)),
        ("CallBackURL", fields.is_url),
        ("AccountReference", fields.at_most(12)),
        ("TransactionDesc", fields.at_most(13)),
    )


def _password_refusal(gateway: Gateway, body: dict[str, Any]) -> Reply | None:
    shortcode = str(body["BusinessShortCode"])
    if shortcode != gateway.stk_shortcode:
        return fields.bad("BusinessShortCode")
    timestamp = str(body["Timestamp"])
    if not TIMESTAMP.fullmatch(timestamp):
        return fields.bad("Timestamp")
    if body["Password"] != stk_password(shortcode, gateway.passkey, timestamp):
        return payloads.gateway_error("500.001.1001", "Wrong credentials")
    return None
