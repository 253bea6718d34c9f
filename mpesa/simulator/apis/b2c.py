"""B2C: paying a member from the organisation's utility account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mpesa.simulator import payloads
from mpesa.simulator.apis import fields
from mpesa.simulator.gateway import Gateway, Payment, Reply, now
from mpesa.simulator.scenarios import B2C_OUTCOMES, INITIATOR_INVALID_DESC, Outcome

PATH = "/mpesa/b2c/v3/paymentrequest"
FIELDS = (
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
CHARGE = 22.40


def payment(gateway: Gateway, body: dict[str, Any]) -> Reply:
    if refused := fields.first_missing(body, FIELDS) or fields.first_broken(
        body,
        (
            ("CommandID", fields.one_of("BusinessPayment", "SalaryPayment", "PromotionPayment")),
            ("Amount", fields.amount_between(10, 250_000)),
            ("PartyA", fields.equal_to(gateway.b2c_shortcode)),
            ("PartyB", fields.is_msisdn),
            ("QueueTimeOutURL", fields.is_url),
            ("ResultURL", fields.is_url),
        ),
    ):
        return refused
    amount = fields.checked_amount(body)
    msisdn = str(body["PartyB"])
    originator_id = str(body["OriginatorConversationID"])
    when = now()
    with gateway.lock:
        # The OriginatorConversationID is the payout's idempotency key: a repeat is refused.
        if originator_id in gateway.b2c:
            return payloads.gateway_error(
                "400.002.02", "Bad Request - Duplicate OriginatorConversationID"
            )
        outcome = gateway.outcome(B2C_OUTCOMES, "B2C")
        if not gateway.initiator_ok(body["InitiatorName"], body["SecurityCredential"]):
            outcome = Outcome(2001, INITIATOR_INVALID_DESC)
        paid = Payment(
            kind="b2c",
            receipt=gateway.unique(payloads.receipt_new),
            amount=amount,
            msisdn=msisdn,
            outcome=outcome,
            initiated=when,
            originator_conversation_id=originator_id,
            conversation_id=gateway.unique(lambda: payloads.conversation_id_new(when)),
        )
        gateway.b2c[originator_id] = paid
        gateway.payments[paid.receipt] = paid
        if outcome.succeeded:
            gateway.b2c_utility_balance = round(gateway.b2c_utility_balance - amount, 2)
            gateway.b2c_charges_balance = round(gateway.b2c_charges_balance - CHARGE, 2)
        balances = (gateway.b2c_utility_balance, gateway.b2c_charges_balance)

    if outcome.timed_out:
        timeout = payloads.b2c_timeout(originator_id, paid.conversation_id)
        gateway.send("b2c_timeout", str(body["QueueTimeOutURL"]), timeout, outcome)
    else:
        result = payloads.b2c_result(
            originator_conversation_id=originator_id,
            conversation_id=paid.conversation_id,
            outcome=outcome,
            receipt=paid.receipt,
            amount=amount,
            msisdn=msisdn,
            when=when + timedelta(seconds=2),
            utility_balance=balances[0],
            working_balance=350_000.0,
            charges_balance=balances[1],
        )
        gateway.send("b2c_result", str(body["ResultURL"]), result, outcome)
    return 200, payloads.b2c_ack(paid.conversation_id, originator_id)
