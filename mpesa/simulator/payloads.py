"""Daraja's messages, in the shapes of /shared/reference/mpesa-payloads (types included: numbers
where Daraja sends numbers, strings where it sends strings)."""

import secrets
import string
import uuid
from datetime import datetime
from typing import Any

from mpesa.simulator.scenarios import Outcome

# Safaricom fills this in on every B2C result, whatever QueueTimeOutURL we sent.
B2C_REFERENCE_ITEM = {
    "Key": "QueueTimeoutURL",
    "Value": "https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit",
}
ACCEPTED = "Accept the service request successfully."
SIMULATED_NAME = "WANJIKU"
RECEIPT_ALPHABET = string.ascii_uppercase + string.digits


def gateway_error(code: str, message: str, request_id: str = "") -> tuple[int, dict[str, Any]]:
    """The gateway's error envelope; its HTTP status is the code's first part (404.001.03)."""
    body = {"requestId": request_id or request_id_new(), "errorCode": code, "errorMessage": message}
    return int(code.split(".")[0]), body


def request_id_new() -> str:
    return f"{secrets.randbelow(90000) + 10000}-{secrets.randbelow(90_000_000) + 10_000_000}-1"


def merchant_request_id_new() -> str:
    hex_ = uuid.uuid4().hex
    return f"{hex_[:4]}-{hex_[4:8]}-{hex_[8:12]}-{hex_[12:24]}{secrets.randbelow(10**6):06d}"


def checkout_request_id_new(now: datetime, sequence: int, msisdn: str) -> str:
    return f"ws_CO_{now:%d%m%Y%H%M%S}{sequence % 1000:03d}{msisdn[-9:]}"


def conversation_id_new(now: datetime) -> str:
    return f"AG_{now:%Y%m%d}_{uuid.uuid4().hex[:20]}"


def receipt_new() -> str:
    """A receipt like SIF3XK7P2Q: ten characters of [A-Z0-9], starting with a letter."""
    return "S" + "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(9))


def mask_msisdn(msisdn: str) -> str:
    """C2B v2 masks the payer's number: 254712345678 → 2547 ***** 678."""
    return f"{msisdn[:4]} ***** {msisdn[-3:]}"


def daraja_datetime(now: datetime) -> int:
    """STK callbacks carry TransactionDate as the number 20240915143041."""
    return int(f"{now:%Y%m%d%H%M%S}")


def stk_push_ack(merchant_request_id: str, checkout_request_id: str) -> dict[str, Any]:
    message = "Success. Request accepted for processing"
    return {
        "MerchantRequestID": merchant_request_id,
        "CheckoutRequestID": checkout_request_id,
        "ResponseCode": "0",
        "ResponseDescription": message,
        "CustomerMessage": message,
    }


def stk_callback(
    *,
    merchant_request_id: str,
    checkout_request_id: str,
    outcome: Outcome,
    amount: int,
    receipt: str,
    msisdn: str,
    when: datetime,
) -> dict[str, Any]:
    callback: dict[str, Any] = {
        "MerchantRequestID": merchant_request_id,
        "CheckoutRequestID": checkout_request_id,
        "ResultCode": outcome.result_code,
        "ResultDesc": outcome.result_desc,
    }
    if outcome.succeeded:
        callback["CallbackMetadata"] = {
            "Item": [
                {"Name": "Amount", "Value": float(amount)},
                {"Name": "MpesaReceiptNumber", "Value": receipt},
                {"Name": "Balance"},  # Daraja sends it without a Value
                {"Name": "TransactionDate", "Value": daraja_datetime(when)},
                {"Name": "PhoneNumber", "Value": int(msisdn)},
            ]
        }
    return {"Body": {"stkCallback": callback}}


def stk_query_reply(
    merchant_request_id: str, checkout_request_id: str, outcome: Outcome
) -> dict[str, Any]:
    return {
        "ResponseCode": "0",
        "ResponseDescription": "The service request has been accepted successfully",
        "MerchantRequestID": merchant_request_id,
        "CheckoutRequestID": checkout_request_id,
        "ResultCode": str(outcome.result_code),  # a string here, a number in the callback
        "ResultDesc": outcome.result_desc,
    }


def c2b_ack(description: str) -> dict[str, Any]:
    # "OriginatorCoversationID" (sic) is how Daraja spells it in C2B replies.
    return {
        "OriginatorCoversationID": request_id_new(),
        "ResponseCode": "0",
        "ResponseDescription": description,
    }


def c2b_notification(
    *,
    trans_id: str,
    when: datetime,
    amount: int,
    shortcode: str,
    bill_ref: str,
    msisdn: str,
    buy_goods: bool,
    balance: float | None,
) -> dict[str, Any]:
    """A C2B v2 validation (balance None) or confirmation request."""
    return {
        "TransactionType": "Buy Goods" if buy_goods else "Pay Bill",
        "TransID": trans_id,
        "TransTime": f"{when:%Y%m%d%H%M%S}",
        "TransAmount": f"{amount:.2f}",
        "BusinessShortCode": shortcode,
        "BillRefNumber": bill_ref,
        "InvoiceNumber": "",
        "OrgAccountBalance": "" if balance is None else f"{balance:.2f}",
        "ThirdPartyTransID": "",
        "MSISDN": mask_msisdn(msisdn),
        "FirstName": SIMULATED_NAME,
        "MiddleName": "",
        "LastName": "",
    }


def b2c_ack(conversation_id: str, originator_conversation_id: str) -> dict[str, Any]:
    return {
        "ConversationID": conversation_id,
        "OriginatorConversationID": originator_conversation_id,
        "ResponseCode": "0",
        "ResponseDescription": ACCEPTED,
    }


def b2c_result(
    *,
    originator_conversation_id: str,
    conversation_id: str,
    outcome: Outcome,
    receipt: str,
    amount: int,
    msisdn: str,
    when: datetime,
    utility_balance: float,
    working_balance: float,
    charges_balance: float,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ResultType": 0,
        "ResultCode": outcome.result_code,
        "ResultDesc": outcome.result_desc,
        "OriginatorConversationID": originator_conversation_id,
        "ConversationID": conversation_id,
        "TransactionID": receipt,
    }
    if outcome.succeeded:
        result["ResultParameters"] = {
            "ResultParameter": [
                {"Key": "TransactionAmount", "Value": amount},
                {"Key": "TransactionReceipt", "Value": receipt},
                {"Key": "ReceiverPartyPublicName", "Value": f"{msisdn} - {SIMULATED_NAME}"},
                {"Key": "TransactionCompletedDateTime", "Value": f"{when:%d.%m.%Y %H:%M:%S}"},
                {"Key": "B2CUtilityAccountAvailableFunds", "Value": utility_balance},
                {"Key": "B2CWorkingAccountAvailableFunds", "Value": working_balance},
                {"Key": "B2CRecipientIsRegisteredCustomer", "Value": "Y"},
                {"Key": "B2CChargesPaidAccountAvailableFunds", "Value": charges_balance},
            ]
        }
    result["ReferenceData"] = {"ReferenceItem": dict(B2C_REFERENCE_ITEM)}
    return {"Result": result}


def b2c_timeout(originator_conversation_id: str, conversation_id: str) -> dict[str, Any]:
    return {
        "Result": {
            "ResultType": 1,
            "ResultCode": 1,
            "ResultDesc": "The service request timed out.",
            "OriginatorConversationID": originator_conversation_id,
            "ConversationID": conversation_id,
        }
    }


def status_ack(originator_conversation_id: str, conversation_id: str) -> dict[str, Any]:
    return {
        "OriginatorConversationID": originator_conversation_id,
        "ConversationID": conversation_id,
        "ResponseCode": "0",
        "ResponseDescription": ACCEPTED,
    }


def status_result(
    *,
    originator_conversation_id: str,
    conversation_id: str,
    transaction_id: str,
    occasion: str,
    result_code: int,
    result_desc: str,
    parameters: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    """The ResultURL message of a transaction-status query; `parameters` describe the found
    transaction (None when it failed or was not found)."""
    reference_item: dict[str, Any] = {"Key": "Occasion"}
    if occasion:
        reference_item["Value"] = occasion
    result: dict[str, Any] = {
        "ConversationID": conversation_id,
        "OriginatorConversationID": originator_conversation_id,
        "ReferenceData": {"ReferenceItem": reference_item},
        "ResultCode": result_code,
        "ResultDesc": result_desc,
    }
    if parameters is not None:
        result["ResultParameters"] = {"ResultParameter": parameters}
    result["ResultType"] = 0
    result["TransactionID"] = transaction_id
    return {"Result": result}


def status_parameters(
    *,
    debit_party: str,
    credit_party: str,
    originator_conversation_id: str,
    conversation_id: str,
    receipt: str,
    amount: int,
    reason_type: str,
    initiated: datetime,
    finalised: datetime,
) -> list[dict[str, Any]]:
    return [
        {"Key": "DebitPartyName", "Value": debit_party},
        {"Key": "CreditPartyName", "Value": credit_party},
        {"Key": "OriginatorConversationID", "Value": originator_conversation_id},
        {"Key": "InitiatedTime", "Value": f"{initiated:%Y%m%d%H%M%S}"},
        {"Key": "DebitAccountType", "Value": "Utility Account"},
        {"Key": "DebitPartyCharges", "Value": "Fee For B2C Payment|KES|22.40"},
        {"Key": "TransactionReason"},
        {"Key": "ReasonType", "Value": reason_type},
        {"Key": "TransactionStatus", "Value": "Completed"},
        {"Key": "FinalisedTime", "Value": f"{finalised:%Y%m%d%H%M%S}"},
        {"Key": "Amount", "Value": str(amount)},
        {"Key": "ConversationID", "Value": conversation_id},
        {"Key": "ReceiptNo", "Value": receipt},
    ]
