"""Reconciliation: what Daraja never told us, asked for; what was stored but not processed,
processed again. Run every few minutes by ``run_job mpesa_reconcile`` (Celery beat)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from mpesa.choices import B2CStatus, CallbackKind, CallbackOutcome, StkStatus
from mpesa.client import DarajaClient, DarajaError
from mpesa.models import B2CRequest, DarajaCallback, StkRequest
from mpesa.payloads import StkResult
from mpesa.services.b2c import b2c_status_query
from mpesa.services.intake import callback_process
from mpesa.services.stk import stk_result_apply

logger = logging.getLogger(__name__)

# A callback normally lands within seconds; give Daraja this long before asking.
STK_QUERY_AFTER = timedelta(minutes=3)
B2C_QUERY_AFTER = timedelta(minutes=10)
# Success known only from a query (which has no receipt) goes to the treasurer after this.
STK_RECEIPT_WAIT = timedelta(hours=1)
STUCK_AFTER = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)
STK_PAID_NO_RECEIPT = (
    "M-Pesa confirms the payment but never sent its receipt: find the receipt in the M-Pesa "
    "statement and record the contribution with it."
)


@dataclass(frozen=True)
class ReconcileSummary:
    reprocessed: int
    stk_queried: int
    stk_failed: int
    b2c_queried: int

    def __str__(self) -> str:
        return (
            f"{self.reprocessed} callback(s) reprocessed, {self.stk_queried} STK request(s) "
            f"queried ({self.stk_failed} failed), {self.b2c_queried} transfer(s) queried"
        )


def _backoff_passed(last: datetime | None, count: int, now: datetime) -> bool:
    """Queries back off: 2, 4, 8 … minutes after the last one, at most an hour."""
    return last is None or now - last >= min(timedelta(minutes=2**count), MAX_BACKOFF)


def _reprocess_stuck(now: datetime) -> int:
    stuck = DarajaCallback.objects.filter(
        Q(outcome=CallbackOutcome.RECEIVED, received_at__lte=now - STUCK_AFTER)
        # an STK callback can overtake the saving of its CheckoutRequestID
        | Q(
            outcome=CallbackOutcome.UNKNOWN,
            kind=CallbackKind.STK,
            received_at__gte=now - STK_RECEIPT_WAIT,
        )
    ).order_by("id")
    count = 0
    for callback in stuck:
        if (
            callback.outcome == CallbackOutcome.UNKNOWN
            and not StkRequest.objects.filter(checkout_request_id=callback.reference).exists()
        ):
            continue
        callback_process(callback=callback)
        count += 1
    return count


def _query_stk(client: DarajaClient, request: StkRequest, now: datetime) -> bool:
    """Ask about one pending prompt; True when it is now known to have failed."""
    assert request.checkout_request_id is not None
    StkRequest.objects.filter(pk=request.pk).update(
        last_queried_at=now, query_count=request.query_count + 1
    )
    try:
        answer = client.stk_query(checkout_request_id=request.checkout_request_id)
    except DarajaError as exc:
        logger.warning("STK query %s failed: %s", request.checkout_request_id, exc.message)
        return False
    if answer.pending or answer.result_code is None:
        return False
    if answer.result_code == 0:
        # Paid, but only the callback carries the receipt; wait for it, then ask a person.
        if now - request.created_at >= STK_RECEIPT_WAIT:
            StkRequest.objects.filter(pk=request.pk, status=StkStatus.PENDING).update(
                status=StkStatus.HELD, failure_reason=STK_PAID_NO_RECEIPT, updated_at=now
            )
        return False
    assert request.checkout_request_id is not None
    stk_result_apply(
        result=StkResult(request.checkout_request_id, answer.result_code, answer.result_desc)
    )
    return True


def mpesa_reconcile(*, now: datetime | None = None) -> ReconcileSummary:
    now = now or timezone.now()
    reprocessed = _reprocess_stuck(now)
    client = DarajaClient.from_settings()
    stk_queried = stk_failed = 0
    pending = StkRequest.objects.filter(
        status=StkStatus.PENDING,
        checkout_request_id__isnull=False,
        created_at__lte=now - STK_QUERY_AFTER,
    ).order_by("created_at")
    for request in pending:
        if _backoff_passed(request.last_queried_at, request.query_count, now):
            stk_queried += 1
            stk_failed += _query_stk(client, request, now)
    b2c_queried = 0
    # A transfer still "sending" after the wait was being sent when its worker died: whether
    # Daraja took it only a status query can tell.
    open_b2c = B2CRequest.objects.filter(
        Q(status=B2CStatus.UNKNOWN)
        | Q(status__in=[B2CStatus.SENDING, B2CStatus.SENT], created_at__lte=now - B2C_QUERY_AFTER)
    ).order_by("created_at")
    for transfer in open_b2c:
        if _backoff_passed(transfer.last_queried_at, transfer.query_count, now):
            b2c_queried += 1
            b2c_status_query(originator_conversation_id=transfer.originator_conversation_id)
    return ReconcileSummary(reprocessed, stk_queried, stk_failed, b2c_queried)
