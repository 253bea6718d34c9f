"""Callback intake: store every callback raw, then process it once.

The raw row is committed before processing, so a crash, an unexpected payload or a bug never
loses what Safaricom sent: ``mpesa_reconcile`` processes anything left ``received``. Processing
itself is one durable transaction per callback that also records the outcome on the raw row.
"""

import ipaddress
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from core.audit import audit_write, audited_by_caller
from core.db import in_durable
from mpesa.choices import CallbackKind, CallbackOutcome
from mpesa.exceptions import MpesaError
from mpesa.models import DarajaCallback
from mpesa.payloads import PayloadInvalid, payload_load

logger = logging.getLogger(__name__)

# Headers worth keeping as evidence; cookies and credentials are never stored.
KEPT_HEADERS = ("Content-Type", "Content-Length", "User-Agent", "X-Forwarded-For", "Host")


@dataclass(frozen=True)
class Processed:
    outcome: CallbackOutcome
    detail: str = ""
    reference: str = ""
    answer: str = "0"  # the ResultCode we answer (C2B validation rejects with C2B000xx)


def source_ip_allowed(ip: str | None) -> bool:
    """MPESA_ALLOWED_IPS lists addresses or CIDR ranges; empty allows any (the simulator)."""
    allowed = settings.MPESA_ALLOWED_IPS
    if not allowed:
        return True
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in allowed)


def _stored_text(body: bytes) -> tuple[str, str]:
    """The body as text the database can hold, and why it cannot be read ("" if it can).
    Bytes that are not UTF-8 are kept as ``\\xNN`` escapes and NUL as ``\\x00`` (PostgreSQL
    text cannot hold it); JSON never contains either, so such a body is invalid as it came."""
    problem = ""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="backslashreplace")
        problem = "the body is not UTF-8 text"
    if "\x00" in text:
        text = text.replace("\x00", "\\x00")
        problem = problem or "the body contains NUL bytes"
    return text, problem


def callback_store(
    *,
    kind: CallbackKind,
    body: bytes,
    body_size: int,
    headers: Mapping[str, str],
    source_ip: str | None,
) -> DarajaCallback:
    """Keep the callback as it came (the first MAX_BODY bytes of it, escaped where the
    database cannot hold a byte) before reading it; one that can never be read is marked
    invalid at once, so reconciliation never retries it."""
    text, problem = _stored_text(body[: DarajaCallback.MAX_BODY])
    unreadable = bool(problem) and body_size <= DarajaCallback.MAX_BODY
    with audited_by_caller():  # the row is its own record of arrival; its outcome is audited
        return DarajaCallback.objects.create(
            kind=kind,
            body=text,
            body_size=body_size,
            headers={k: str(v)[:500] for k, v in headers.items() if k in KEPT_HEADERS},
            source_ip=source_ip,
            outcome=CallbackOutcome.INVALID if unreadable else CallbackOutcome.RECEIVED,
            detail=MpesaError.INVALID_CALLBACK.render(reason=problem)[:255] if unreadable else "",
            processed_at=timezone.now() if unreadable else None,
        )


def callback_outcome_record(*, callback: DarajaCallback, processed: Processed) -> DarajaCallback:
    """Record what came of the callback. Inside the money transaction that booked it, the
    audit row joins that transaction's one insert of audit rows (``core.audit``)."""
    before = callback.outcome
    callback.outcome = processed.outcome
    callback.detail = processed.detail[:255]
    callback.reference = processed.reference[:64] or callback.reference
    callback.processed_at = timezone.now()
    fields = ["outcome", "detail", "reference", "processed_at"]
    if not in_durable():
        callback.save(update_fields=fields)  # auditlog's signal writes the audit row
        return callback
    with audited_by_caller():
        callback.save(update_fields=fields)
    audit_write(updated=[(callback, {"outcome": (before, callback.outcome)})])
    return callback


Processor = Callable[[DarajaCallback, dict[str, Any]], Processed]
PROCESSORS: dict[str, Processor] = {}


def processor(kind: CallbackKind) -> Callable[[Processor], Processor]:
    """Each flow (stk, c2b, b2c) registers how it processes its callbacks. A processor runs one
    durable transaction in which it applies the callback and records its outcome."""

    def register(fn: Processor) -> Processor:
        PROCESSORS[kind] = fn
        return fn

    return register


def callback_process(*, callback: DarajaCallback) -> Processed:
    """Process a stored callback. Unreadable ones are marked invalid and credit nothing."""
    if callback.outcome == CallbackOutcome.INVALID:  # unreadable as it came: nothing to do
        return Processed(CallbackOutcome.INVALID, callback.detail)
    try:
        if callback.body_size > DarajaCallback.MAX_BODY:
            raise PayloadInvalid(f"The body is too large ({callback.body_size} bytes).")
        return PROCESSORS[callback.kind](callback, payload_load(callback.body.encode()))
    except PayloadInvalid as exc:
        processed = Processed(
            CallbackOutcome.INVALID, MpesaError.INVALID_CALLBACK.render(reason=exc)
        )
        logger.warning("Daraja callback %s is invalid: %s", callback.pk, exc)
        callback_outcome_record(callback=callback, processed=processed)
        return processed
