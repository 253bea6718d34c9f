"""Daraja messages for the tests: the sample payloads, changed where a test needs it, and
delivery to our callback URLs."""

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from groups.models import Membership
from mpesa.callbacks import ROUTE_NAMES
from mpesa.choices import CallbackKind, PaymentPurpose
from mpesa.models import StkRequest

PAYLOADS = Path(__file__).parent / "payloads"
SAFARICOM_IP = "196.201.214.200"


def payload(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text()))


def hook_path(kind: CallbackKind, token: str | None = None) -> str:
    return reverse(ROUTE_NAMES[kind], kwargs={"token": token or settings.MPESA_CALLBACK_TOKEN})


def deliver(client, kind: CallbackKind, data: Any, *, token=None, ip="127.0.0.1", raw=None):
    """POST a callback as Daraja would; ``raw`` sends bytes as they are."""
    body = raw if raw is not None else json.dumps(data)
    return client.post(
        hook_path(kind, token), data=body, content_type="application/json", REMOTE_ADDR=ip
    )


def stk_success(checkout: str, *, amount: Any = 500, receipt="SIF3XK7P2Q", phone=254712345678):
    data = payload("stk_callback_success")
    callback = data["Body"]["stkCallback"]
    callback["CheckoutRequestID"] = checkout
    values = {"Amount": amount, "MpesaReceiptNumber": receipt, "PhoneNumber": phone}
    for item in callback["CallbackMetadata"]["Item"]:
        if item["Name"] in values:
            item["Value"] = values[item["Name"]]
    return data


def stk_failure(checkout: str, name: str = "stk_callback_cancelled") -> dict[str, Any]:
    data = payload(name)
    data["Body"]["stkCallback"]["CheckoutRequestID"] = checkout
    return data


def c2b(account: str, *, amount="1500.00", receipt="SIF4QW8M1B", name="c2b_confirmation"):
    data = payload(name)
    data.update(BillRefNumber=account, TransAmount=amount, TransID=receipt)
    return data


def pending_stk(
    member: Membership,
    *,
    amount: str = "500",
    checkout: str = "ws_CO_15092024143013452712345678",
    phone: str = "254712345678",
    purpose: str = PaymentPurpose.CONTRIBUTION,
    loan=None,
) -> StkRequest:
    """A prompt as stk_push_request leaves it once Daraja has accepted it (no money state)."""
    return StkRequest.objects.create(
        chama=member.chama,
        membership=member,
        purpose=purpose,
        loan=loan,
        amount=Decimal(amount),
        phone=phone,
        account_reference=f"{member.chama.code}{member.member_code}",
        checkout_request_id=checkout,
        merchant_request_id="7c4a-4d2e-9b1f-58e3a6c2d1f0482915",
    )


class ScriptedDaraja:
    """Daraja at the boundary for unit tests: answers STK queries from a script and records
    what was asked. End-to-end tests use the real simulator over HTTP instead."""

    def __init__(self) -> None:
        self.stk_answers: dict[str, Any] = {}
        self.stk_queries: list[str] = []
        self.status_queries: list[str] = []
        self.pushes: list[dict[str, Any]] = []
        self.refuse: Exception | None = None

    def stk_push(self, **request: Any):
        from mpesa.client import StkPushAck

        if self.refuse is not None:
            raise self.refuse
        self.pushes.append(request)
        n = len(self.pushes)
        return StkPushAck(f"merchant-{n}", f"ws_CO_TEST{n:04d}", "Success. Request accepted")

    def stk_query(self, *, checkout_request_id: str):
        from mpesa.client import StkQueryResult

        self.stk_queries.append(checkout_request_id)
        answer = self.stk_answers.get(checkout_request_id, "pending")
        if answer == "pending":
            return StkQueryResult(pending=True, result_code=None, result_desc="")
        code, desc = answer
        return StkQueryResult(pending=False, result_code=code, result_desc=desc)

    def transaction_status(self, *, originator_conversation_id: str = "", **kwargs: Any) -> dict:
        self.status_queries.append(originator_conversation_id)
        return {"ResponseCode": "0"}


def sent_b2c(transfer, **fields):
    """A transfer as b2c_send records it once Daraja has accepted it (no money state)."""
    from mpesa.choices import B2CStatus
    from mpesa.models import B2CRequest

    return B2CRequest.objects.create(
        kind=transfer.kind,
        object_id=transfer.object_id,
        chama_id=transfer.chama_id,
        amount=transfer.amount,
        phone=transfer.destination,
        originator_conversation_id=transfer.reference,
        status=B2CStatus.SENT,
        **fields,
    )
