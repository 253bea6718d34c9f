"""Transaction status: what became of a payment, reported to the ResultURL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mpesa.simulator import payloads
from mpesa.simulator.apis import fields
from mpesa.simulator.gateway import Gateway, Payment, Reply, now
from mpesa.simulator.scenarios import INITIATOR_INVALID_DESC, Outcome

PATH = "/mpesa/transactionstatus/v1/query"
FIELDS = (
    "Initiator",
    "SecurityCredential",
    "CommandID",
    "PartyA",
    "IdentifierType",
    "ResultURL",
    "QueueTimeOutURL",
)
SIMULATED_ORGANISATION = "HAZINA CHAMA"
# Daraja does not document what a status query reports for a transaction it cannot find.
NOT_FOUND = Outcome(1, "No transaction matches the TransactionID or OriginatorConversationID.")


def query(gateway: Gateway, body: dict[str, Any]) -> Reply:
    if refused := fields.first_missing(body, FIELDS) or fields.first_broken(
        body, (("CommandID", fields.one_of("TransactionStatusQuery")),)
    ):
        return refused
    transaction_id = str(body.get("TransactionID") or "")
    originator_id = str(body.get("OriginatorConversationID") or "")
    if not (transaction_id or originator_id):
        return fields.bad("TransactionID")
    if refused := fields.first_broken(
        body, (("QueueTimeOutURL", fields.is_url), ("ResultURL", fields.is_url))
    ):
        return refused

    when = now()
    with gateway.lock:
        payment = gateway.payments.get(transaction_id) or gateway.b2c.get(originator_id)
    query_id = gateway.unique(payloads.request_id_new)
    conversation_id = gateway.unique(lambda: payloads.conversation_id_new(when))
    if not gateway.initiator_ok(body["Initiator"], body["SecurityCredential"]):
        found, parameters = Outcome(2001, INITIATOR_INVALID_DESC), None
    elif payment is None:
        found, parameters = NOT_FOUND, None
    elif not payment.outcome.succeeded:
        found, parameters = payment.outcome, None
    else:
        found, parameters = Outcome(), _parameters(gateway, payment)
    result = payloads.status_result(
        originator_conversation_id=query_id,
        conversation_id=conversation_id,
        transaction_id=gateway.unique(payloads.receipt_new),
        occasion=str(body.get("Occasion") or ""),
        result_code=found.result_code,
        result_desc=found.result_desc,
        parameters=parameters,
    )
    gateway.send("status_result", str(body["ResultURL"]), result, Outcome())
    return 200, payloads.status_ack(query_id, conversation_id)


def _parameters(gateway: Gateway, payment: Payment) -> list[dict[str, Any]]:
    customer = f"{payment.msisdn} - {payloads.SIMULATED_NAME}"
    if payment.kind == "b2c":
        organisation = f"{gateway.b2c_shortcode} - {SIMULATED_ORGANISATION}"
        debit, credit = organisation, customer
        reason = "Business Payment to Customer via API"
    else:
        shortcode = gateway.stk_shortcode if payment.kind == "stk" else gateway.c2b_shortcode
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
