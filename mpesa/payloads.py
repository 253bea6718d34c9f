"""Reading Daraja's callbacks: typed values out of payloads whose types and fields vary.

Safaricom sends numbers as strings in one message and as numbers in the next, leaves out
values (a ``Balance`` item with no Value), and lists metadata as ``{Name, Value}`` pairs whose
order is not promised. Everything here reads by name, accepts either type, and raises
``PayloadInvalid`` with a readable reason instead of a KeyError.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from core.jsontext import JSONUnreadable, json_text_load
from core.money import money
from core.phone import InvalidPhoneNumber, normalize_phone
from finance.services.receipts import RECEIPT_RE

NAIROBI = ZoneInfo("Africa/Nairobi")


class PayloadInvalid(ValueError):
    """The payload cannot be read: it is stored and shown to the treasurer, never credited."""


# Daraja's messages nest five levels at most; anything far deeper is not from Daraja.
MAX_DEPTH = 32


def payload_load(body: bytes) -> dict[str, Any]:
    try:
        data = json_text_load(body, max_depth=MAX_DEPTH)
    except JSONUnreadable as exc:
        raise PayloadInvalid(f"Not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise PayloadInvalid("Not a JSON object.")
    return data


def _at(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            raise PayloadInvalid(f"Missing {'.'.join(path)}.")
        data = data[key]
    return data


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise PayloadInvalid(f"{name} is not a number.")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,12}", value.strip()):
        return int(value)
    raise PayloadInvalid(f"{name} is not a whole number: {value!r}.")


def _amount(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PayloadInvalid(f"{name} is not an amount: {value!r}.")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise PayloadInvalid(f"{name} is not an amount: {value!r}.") from None
    if not amount.is_finite() or amount <= 0 or amount > Decimal("10000000"):
        raise PayloadInvalid(f"{name} is out of range: {value!r}.")
    if amount != amount.quantize(Decimal("0.01")):
        raise PayloadInvalid(f"{name} has more than two decimals: {value!r}.")
    return money(amount)


def _text(value: Any, name: str, *, limit: int = 255) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise PayloadInvalid(f"{name} is not text.")
    return str(value).strip()[:limit]


def _receipt(value: Any, name: str) -> str:
    receipt = _text(value, name).upper()
    if not RECEIPT_RE.match(receipt):
        raise PayloadInvalid(f"{name} is not an M-Pesa receipt: {value!r}.")
    return receipt


def _compact_time(value: Any, name: str) -> datetime:
    """``20240915143041`` (a number in STK callbacks, a string in C2B), Kenyan time."""
    text = str(_int(value, name)) if not isinstance(value, str) else value.strip()
    try:
        return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=NAIROBI)
    except ValueError:
        raise PayloadInvalid(f"{name} is not a time: {value!r}.") from None


def _b2c_time(value: Any, name: str) -> datetime:
    """B2C results say ``15.09.2024 17:48:52``, Kenyan time."""
    try:
        return datetime.strptime(str(value).strip(), "%d.%m.%Y %H:%M:%S").replace(tzinfo=NAIROBI)
    except ValueError:
        raise PayloadInvalid(f"{name} is not a time: {value!r}.") from None


def _pairs(items: Any, key: str, name: str) -> dict[str, Any]:
    """``[{"Name": "Amount", "Value": 500}, {"Name": "Balance"}]`` → {"Amount": 500,
    "Balance": None}."""
    if isinstance(items, dict):  # a single pair sometimes arrives unwrapped
        items = [items]
    if not isinstance(items, list):
        raise PayloadInvalid(f"{name} is not a list.")
    return {
        str(item[key]): item.get("Value")
        for item in items
        if isinstance(item, dict) and key in item
    }


def phone_from_daraja(value: Any) -> str:
    """254712345678 as a number or a string, in the form Hazina stores phones."""
    try:
        return normalize_phone(str(value))
    except InvalidPhoneNumber:
        raise PayloadInvalid(f"PhoneNumber is not a Kenyan mobile number: {value!r}.") from None


@dataclass(frozen=True)
class StkResult:
    checkout_request_id: str
    result_code: int
    result_desc: str
    amount: Decimal | None = None
    receipt: str | None = None
    paid_at: datetime | None = None
    phone: str | None = None


def stk_result_parse(data: dict[str, Any]) -> StkResult:
    callback = _at(data, "Body", "stkCallback")
    checkout = _text(_at(callback, "CheckoutRequestID"), "CheckoutRequestID", limit=64)
    if not checkout:
        raise PayloadInvalid("CheckoutRequestID is empty.")
    code = _int(_at(callback, "ResultCode"), "ResultCode")
    desc = _text(callback.get("ResultDesc"), "ResultDesc")
    if code != 0:
        return StkResult(checkout, code, desc)
    items = _pairs(_at(callback, "CallbackMetadata", "Item"), "Name", "CallbackMetadata.Item")
    for name in ("Amount", "MpesaReceiptNumber", "TransactionDate", "PhoneNumber"):
        if items.get(name) is None:
            raise PayloadInvalid(f"CallbackMetadata has no {name}.")
    return StkResult(
        checkout_request_id=checkout,
        result_code=code,
        result_desc=desc,
        amount=_amount(items["Amount"], "Amount"),
        receipt=_receipt(items["MpesaReceiptNumber"], "MpesaReceiptNumber"),
        paid_at=_compact_time(items["TransactionDate"], "TransactionDate"),
        phone=phone_from_daraja(items["PhoneNumber"]),
    )


@dataclass(frozen=True)
class C2BNotice:
    trans_id: str
    trans_time: datetime
    amount: Decimal
    bill_ref_number: str
    business_shortcode: str
    msisdn: str
    payer_name: str


def c2b_notice_parse(data: dict[str, Any]) -> C2BNotice:
    names = (data.get(k) for k in ("FirstName", "MiddleName", "LastName"))
    return C2BNotice(
        trans_id=_receipt(_at(data, "TransID"), "TransID"),
        trans_time=_compact_time(_at(data, "TransTime"), "TransTime"),
        amount=_amount(_at(data, "TransAmount"), "TransAmount"),
        bill_ref_number=_text(data.get("BillRefNumber"), "BillRefNumber", limit=40),
        business_shortcode=_text(data.get("BusinessShortCode"), "BusinessShortCode", limit=20),
        msisdn=_text(data.get("MSISDN"), "MSISDN", limit=80),
        payer_name=" ".join(n.strip() for n in names if isinstance(n, str) and n.strip())[:150],
    )


@dataclass(frozen=True)
class B2CResult:
    originator_conversation_id: str
    conversation_id: str
    result_code: int
    result_desc: str
    receipt: str | None = None
    amount: Decimal | None = None
    completed_at: datetime | None = None


def b2c_result_parse(data: dict[str, Any]) -> B2CResult:
    result = _at(data, "Result")
    originator = _text(
        _at(result, "OriginatorConversationID"), "OriginatorConversationID", limit=64
    )
    if not originator:
        raise PayloadInvalid("OriginatorConversationID is empty.")
    code = _int(_at(result, "ResultCode"), "ResultCode")
    conversation = _text(result.get("ConversationID"), "ConversationID", limit=64)
    desc = _text(result.get("ResultDesc"), "ResultDesc")
    if code != 0:
        return B2CResult(originator, conversation, code, desc)
    params = _pairs(_at(result, "ResultParameters", "ResultParameter"), "Key", "ResultParameters")
    receipt = params.get("TransactionReceipt") or result.get("TransactionID")
    return B2CResult(
        originator_conversation_id=originator,
        conversation_id=conversation,
        result_code=code,
        result_desc=desc,
        receipt=_receipt(receipt, "TransactionReceipt"),
        amount=_amount(_at(params, "TransactionAmount"), "TransactionAmount"),
        completed_at=_b2c_time(_at(params, "TransactionCompletedDateTime"), "CompletedDateTime"),
    )


@dataclass(frozen=True)
class TransferStatus:
    """A transaction status result about one of our B2C transfers."""

    originator_conversation_id: str  # of the B2C transfer queried, not of the query
    result_code: int
    result_desc: str
    transaction_status: str  # "Completed", "Failed", …; empty when the query itself failed
    receipt: str | None
    amount: Decimal | None

    @property
    def completed(self) -> bool:
        return self.result_code == 0 and self.transaction_status == "Completed"


def transfer_status_parse(data: dict[str, Any]) -> TransferStatus:
    result = _at(data, "Result")
    code = _int(_at(result, "ResultCode"), "ResultCode")
    desc = _text(result.get("ResultDesc"), "ResultDesc")
    params = (
        _pairs(_at(result, "ResultParameters", "ResultParameter"), "Key", "ResultParameters")
        if code == 0
        else {}
    )
    originator = _text(
        params.get("OriginatorConversationID") or result.get("OriginatorConversationID"),
        "OriginatorConversationID",
        limit=64,
    )
    if not originator:
        raise PayloadInvalid("OriginatorConversationID is empty.")
    transaction_status = _text(params.get("TransactionStatus"), "TransactionStatus")
    completed = code == 0 and transaction_status == "Completed"
    return TransferStatus(
        originator_conversation_id=originator,
        result_code=code,
        result_desc=desc,
        transaction_status=transaction_status,
        receipt=_receipt(params.get("ReceiptNo"), "ReceiptNo") if completed else None,
        amount=_amount(params.get("Amount"), "Amount") if completed else None,
    )
