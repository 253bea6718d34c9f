"""Sending the queued deliveries, in batches, and recording each one's outcome.

A batch is claimed first (its rows marked ``sending`` in a short transaction, skipping rows
another sender has locked), then sent outside any transaction (a provider call never holds a
lock), then recorded with one bulk update. A sender that dies leaves its batch ``sending``:
after ``CLAIM_TIMEOUT`` the next run sends it again. Queries per batch are constant.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.choices import Channel, DeliveryStatus, SkipReason
from accounts.models import NotificationDelivery
from accounts.notifications.backends import Message, Outcome, backend_for
from accounts.notifications.quiet_hours import quiet_hours_end

BATCH_SIZE = 200
CLAIM_TIMEOUT = timedelta(minutes=15)
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=5)  # doubled at each further attempt


@dataclass
class DeliveryRun:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.deferred} deferred, {self.failed} failed, "
            f"{self.skipped} skipped"
        )


def _due(now: datetime) -> Q:
    return (
        Q(status=DeliveryStatus.QUEUED)
        | Q(status=DeliveryStatus.DEFERRED, not_before__lte=now)
        | Q(status=DeliveryStatus.SENDING, updated_at__lt=now - CLAIM_TIMEOUT)
    )


@transaction.atomic
def _claim(size: int) -> list[NotificationDelivery]:
    now = timezone.now()
    ids = list(
        NotificationDelivery.objects.select_for_update(skip_locked=True)
        .filter(_due(now))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:size]
    )
    if not ids:
        return []
    NotificationDelivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    return list(
        NotificationDelivery.objects.filter(pk__in=ids)
        .select_related("notification__user")
        .order_by("created_at", "id")
    )


def _message(delivery: NotificationDelivery) -> Message:
    notification = delivery.notification
    user = notification.user
    return Message(
        delivery_id=str(delivery.pk),
        to=(user.email or "") if delivery.channel == Channel.EMAIL else f"+{user.phone}",
        subject=notification.title,
        body=notification.body,
        event=notification.event,
        language=user.language,
    )


def _send(channel: str, batch: list[NotificationDelivery]) -> dict[str, Outcome]:
    messages = [_message(d) for d in batch]
    try:
        outcomes = backend_for(channel).send(messages)
    except Exception as exc:  # a backend down is every message's failure, retried later
        outcomes = [Outcome(m.delivery_id, ok=False, error=str(exc)[:200]) for m in messages]
    return {o.delivery_id: o for o in outcomes}


def _record(delivery: NotificationDelivery, outcome: Outcome | None, run: DeliveryRun) -> None:
    now = timezone.now()
    delivery.updated_at = now
    if outcome is not None and outcome.ok:
        delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
        delivery.provider_id, delivery.reason = outcome.provider_id[:100], ""
        run.sent += 1
        return
    delivery.reason = (outcome.error if outcome else "no answer from the backend")[:200]
    if delivery.attempts < MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.DEFERRED
        delivery.not_before = now + RETRY_AFTER * 2 ** (delivery.attempts - 1)
        run.deferred += 1
    else:
        delivery.status = DeliveryStatus.FAILED
        run.failed += 1


def _send_batch(batch: list[NotificationDelivery], run: DeliveryRun) -> None:
    quiet_until = quiet_hours_end()
    by_channel: dict[str, list[NotificationDelivery]] = defaultdict(list)
    for delivery in batch:
        notification = delivery.notification
        if delivery.channel == Channel.EMAIL and not notification.user.email:
            delivery.status, delivery.reason = DeliveryStatus.SKIPPED, SkipReason.NO_EMAIL
            delivery.updated_at = timezone.now()
            run.skipped += 1
        elif delivery.channel == Channel.SMS and quiet_until and not notification.urgent:
            # Queued before 21:00, reached after it: it waits for the morning too.
            delivery.status, delivery.not_before = DeliveryStatus.DEFERRED, quiet_until
            delivery.reason, delivery.updated_at = "quiet_hours", timezone.now()
            delivery.attempts -= 1  # waiting is not an attempt
            run.deferred += 1
        else:
            by_channel[delivery.channel].append(delivery)
    for channel, deliveries in by_channel.items():
        outcomes = _send(channel, deliveries)
        for delivery in deliveries:
            _record(delivery, outcomes.get(str(delivery.pk)), run)
    NotificationDelivery.objects.bulk_update(
        batch,
        ["status", "reason", "not_before", "provider_id", "sent_at", "attempts", "updated_at"],
    )


def deliveries_send(*, batch_size: int = BATCH_SIZE) -> DeliveryRun:
    """Send every delivery that is due (queued, or deferred until now), batch by batch.

    Idempotent: a delivery sent is never due again, and a run with nothing due sends nothing.
    """
    run = DeliveryRun()
    while batch := _claim(batch_size):
        _send_batch(batch, run)
    return run
