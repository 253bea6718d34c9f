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

from mpesa import exceptions as msg
from mpesa.choices import CallbackKind, CallbackOutcome
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


def callback_store(
    *,
    kind: CallbackKind,
    body: bytes,
    body_size: int,
    headers: Mapping[str, str],
    source_ip: str | None,
) -> DarajaCallback:
    """Keep the callback as it came (the first MAX_BODY bytes of it) before reading it."""
    return DarajaCallback.objects.create(
        kind=kind,
        body=body[: DarajaCallback.MAX_BODY].decode("utf-8", errors="replace"),
        body_size=body_size,
        headers={k: str(v)[:500] for k, v in headers.items() if k in KEPT_HEADERS},
        source_ip=source_ip,
    )


def callback_outcome_record(*, callback: DarajaCallback, processed: Processed) -> DarajaCallback:
    callback.outcome = processed.outcome
    callback.detail = processed.detail[:255]
    callback.reference = processed.reference[:64] or callback.reference
    callback.processed_at = timezone.now()
    callback.save(update_fields=["outcome", "detail", "reference", "processed_at"])
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
    try:
        if callback.body_size > DarajaCallback.MAX_BODY:
            raise PayloadInvalid(f"The body is too large ({callback.body_size} bytes).")
        return PROCESSORS[callback.kind](callback, payload_load(callback.body.encode()))
    except PayloadInvalid as exc:
        processed = Processed(CallbackOutcome.INVALID, msg.INVALID_CALLBACK.format(detail=exc))
        logger.warning("Daraja callback %s is invalid: %s", callback.pk, exc)
        callback_outcome_record(callback=callback, processed=processed)
        return processed
