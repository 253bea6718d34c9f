"""Payouts by B2C: pots, loans and welfare claims sent from the chama's shortcode to a phone.

finance approves (maker-checker) and parks the money in 1090 "payouts in flight", then calls
the gateway registered here. We send once, under our OriginatorConversationID, which Daraja
refuses to process twice. The result callback settles or fails the transfer in finance; a
timeout leaves the outcome unknown, and only a transaction status query may settle it: B2C
cannot be reversed through the API, so a transfer is never sent again.
"""

import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.db import durable
from core.exceptions import ConflictError
from finance import chart
from finance.choices import PayoutMethod
from finance.gateways import Transfer, TransferKind
from finance.services.transfers import transfer_fail, transfer_settle
from mpesa import exceptions as msg
from mpesa.callbacks import callback_url
from mpesa.choices import B2CStatus, CallbackKind, CallbackOutcome
from mpesa.client import DarajaClient, DarajaError, DarajaTimeout
from mpesa.locks import b2c_request_lock
from mpesa.models import B2CRequest, DarajaCallback
from mpesa.payloads import b2c_result_parse, transfer_status_parse
from mpesa.services.intake import Processed, callback_outcome_record, processor

logger = logging.getLogger(__name__)

B2C_MIN, B2C_MAX = Decimal("10"), Decimal("250000")
# Daraja's answer to an OriginatorConversationID it has seen: that transfer may be paid.
DUPLICATE_ORIGINATOR = "Duplicate OriginatorConversationID"
B2C_AMOUNTS = "M-Pesa sends whole shillings from 10 to 250,000; pay {amount} by cash or bank."
# A status query's own OriginatorConversationID names the transfer it asks about.
QUERY_SUFFIX = re.compile(r"-q\d+$")
# What a status query must say before a transfer is treated as not paid; anything else
# (pending, or a status we do not know) keeps it unknown for the next query.
NOT_PAID_STATUSES = frozenset({"Failed", "Cancelled", "Declined", "Expired"})


@dataclass(frozen=True)
class DarajaB2CGateway:
    """finance's payout gateway for M-Pesa, registered from MpesaConfig.ready()."""

    method: PayoutMethod = PayoutMethod.MPESA
    source_code: str = chart.MPESA_PAYBILL
    two_phase: bool = True

    def send(self, transfer: Transfer) -> None:
        b2c_send(transfer=transfer)


def _fail(request: B2CRequest, reason: str) -> None:
    request.status, request.result_desc = B2CStatus.FAILED, reason[:255]
    request.completed_at = timezone.now()
    request.save(update_fields=["status", "result_desc", "completed_at", "updated_at"])


def b2c_send(*, transfer: Transfer) -> B2CRequest:
    """Send a transfer that finance has put in flight. Called after finance commits."""
    try:
        request = B2CRequest.objects.create(
            kind=transfer.kind,
            object_id=transfer.object_id,
            chama_id=transfer.chama_id,
            amount=transfer.amount,
            phone=transfer.destination,
            originator_conversation_id=transfer.reference,
        )
    except IntegrityError:
        # Already sent under this reference: never send again.
        return B2CRequest.objects.get(originator_conversation_id=transfer.reference)
    amount = transfer.amount
    if amount != amount.to_integral_value() or not B2C_MIN <= amount <= B2C_MAX:
        reason = B2C_AMOUNTS.format(amount=f"{amount:,}")
        transfer_fail(kind=transfer.kind, object_id=transfer.object_id, reason=reason)
        _fail(request, reason)
        return request
    try:
        ack = DarajaClient.from_settings().b2c_payment(
            originator_conversation_id=transfer.reference,
            phone=transfer.destination,
            amount=int(amount),
            remarks=transfer.remarks[:100] or "Chama payout",
            occasion=TransferKind(transfer.kind).label[:100],
            result_url=callback_url(CallbackKind.B2C_RESULT),
            timeout_url=callback_url(CallbackKind.B2C_TIMEOUT),
        )
    except DarajaError as exc:
        if isinstance(exc, DarajaTimeout) or DUPLICATE_ORIGINATOR in exc.message:
            # Daraja may have taken it: only a status query can tell.
            request.status = B2CStatus.UNKNOWN
            request.save(update_fields=["status", "updated_at"])
            return request
        # Refused outright: no money left, the payout is payable again.
        reason = msg.B2C_NOT_SENT.format(detail=exc.message)
        transfer_fail(kind=transfer.kind, object_id=transfer.object_id, reason=reason)
        _fail(request, reason)
        return request
    request.status, request.conversation_id = B2CStatus.SENT, ack.conversation_id[:64]
    request.save(update_fields=["status", "conversation_id", "updated_at"])
    return request


def _settle(request: B2CRequest, *, succeeded: bool, receipt: str, desc: str) -> None:
    kind, object_id = TransferKind(request.kind), request.object_id
    if succeeded:
        transfer_settle(kind=kind, object_id=object_id, receipt=receipt, nested=True)
        request.status, request.receipt = B2CStatus.SUCCEEDED, receipt
    else:
        transfer_fail(kind=kind, object_id=object_id, reason=desc, nested=True)
        request.status = B2CStatus.FAILED
    request.result_desc = desc[:255]
    request.completed_at = timezone.now()
    request.save(
        update_fields=[
            "status",
            "receipt",
            "result_code",
            "result_desc",
            "completed_at",
            "updated_at",
        ]
    )


@durable
def b2c_outcome_apply(
    *,
    originator_conversation_id: str,
    result_code: int,
    desc: str,
    receipt: str | None,
    amount: Decimal | None,
    callback: DarajaCallback,
) -> Processed:
    """Settle (code 0) or fail a transfer we sent, once."""
    request = b2c_request_lock(originator_conversation_id)
    if request is None:
        processed = Processed(CallbackOutcome.UNKNOWN, msg.B2C_UNKNOWN, originator_conversation_id)
    elif request.status == B2CStatus.FAILED and result_code == 0:
        # Paid after we gave the money back to the books: a person must recover or book it.
        processed = Processed(CallbackOutcome.HELD, msg.B2C_LATE_SUCCESS, receipt or "")
    elif request.status in {B2CStatus.SUCCEEDED, B2CStatus.FAILED}:
        processed = Processed(
            CallbackOutcome.DUPLICATE, f"Transfer already {request.status}.", request.receipt or ""
        )
    elif result_code == 0 and amount != request.amount:
        detail = msg.B2C_AMOUNT_MISMATCH.format(paid=amount, asked=request.amount)
        processed = Processed(CallbackOutcome.HELD, detail, receipt or "")
    else:
        request.result_code = result_code
        try:
            _settle(request, succeeded=result_code == 0, receipt=receipt or "", desc=desc)
            processed = Processed(
                CallbackOutcome.PROCESSED, desc, receipt or originator_conversation_id
            )
        except ConflictError as exc:
            processed = Processed(CallbackOutcome.HELD, exc.message, originator_conversation_id)
    callback_outcome_record(callback=callback, processed=processed)
    return processed


@processor(CallbackKind.B2C_RESULT)
def b2c_result_process(callback: DarajaCallback, data: dict[str, Any]) -> Processed:
    result = b2c_result_parse(data)
    return b2c_outcome_apply(
        originator_conversation_id=result.originator_conversation_id,
        result_code=result.result_code,
        desc=result.result_desc,
        receipt=result.receipt,
        amount=result.amount,
        callback=callback,
    )


@processor(CallbackKind.B2C_TIMEOUT)
def b2c_timeout_process(callback: DarajaCallback, data: dict[str, Any]) -> Processed:
    """Daraja's queue timed out: the outcome is unknown until a status query answers."""
    originator = str(data.get("Result", {}).get("OriginatorConversationID", ""))[:64]
    updated = B2CRequest.objects.filter(
        originator_conversation_id=originator, status__in=[B2CStatus.SENDING, B2CStatus.SENT]
    ).update(status=B2CStatus.UNKNOWN, updated_at=timezone.now())
    processed = (
        Processed(CallbackOutcome.PROCESSED, "Outcome unknown: status query due.", originator)
        if updated
        else Processed(CallbackOutcome.DUPLICATE, "Not awaiting a result.", originator)
    )
    callback_outcome_record(callback=callback, processed=processed)
    if updated:
        transaction.on_commit(lambda: b2c_status_query(originator_conversation_id=originator))
    return processed


def b2c_status_query(*, originator_conversation_id: str) -> None:
    """Ask Daraja what became of a transfer; the answer arrives at status/result/."""
    request = B2CRequest.objects.get(originator_conversation_id=originator_conversation_id)
    count = request.query_count + 1
    B2CRequest.objects.filter(pk=request.pk).update(
        query_count=count, last_queried_at=timezone.now()
    )
    try:
        DarajaClient.from_settings().transaction_status(
            originator_conversation_id=originator_conversation_id,
            transaction_id=request.receipt or "",
            result_url=callback_url(CallbackKind.STATUS_RESULT),
            timeout_url=callback_url(CallbackKind.STATUS_TIMEOUT),
            remarks=f"Status of {originator_conversation_id}"[:100],
        )
    except DarajaError as exc:
        logger.warning("Status query for %s failed: %s", originator_conversation_id, exc.message)


@processor(CallbackKind.STATUS_RESULT)
def status_result_process(callback: DarajaCallback, data: dict[str, Any]) -> Processed:
    status = transfer_status_parse(data)
    originator = QUERY_SUFFIX.sub("", status.originator_conversation_id)
    if not status.completed and status.transaction_status not in NOT_PAID_STATUSES:
        # The query failed, or the transfer is still pending: stay unknown, ask again later.
        detail = f"{status.result_desc} {status.transaction_status}".strip()
        processed = Processed(CallbackOutcome.HELD, detail, originator)
        callback_outcome_record(callback=callback, processed=processed)
        return processed
    return b2c_outcome_apply(
        originator_conversation_id=originator,
        result_code=0 if status.completed else 1,
        desc=status.result_desc
        if status.completed
        else f"M-Pesa reports the transfer {status.transaction_status.lower()}.",
        receipt=status.receipt,
        amount=status.amount,
        callback=callback,
    )


@processor(CallbackKind.STATUS_TIMEOUT)
def status_timeout_process(callback: DarajaCallback, data: dict[str, Any]) -> Processed:
    processed = Processed(CallbackOutcome.PROCESSED, "Status query timed out; asked again later.")
    callback_outcome_record(callback=callback, processed=processed)
    return processed
