"""Writes of notifications: ``notify`` (one event to many users), reading, and preferences."""

import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accounts.choices import Channel, DeliveryStatus, SkipReason
from accounts.models import Notification, NotificationDelivery, NotificationPreference, User
from accounts.notifications.catalogue import Event, event_get
from accounts.notifications.quiet_hours import quiet_hours_end

# A user without a preference row: in-app always, SMS and email on, WhatsApp off.
DEFAULT_PREFERENCE = NotificationPreference()


def _user_ids(users: Iterable[User] | Iterable[uuid.UUID | int | str]) -> list[Any]:
    ids = (user.pk if isinstance(user, Model) else user for user in users)
    return list(dict.fromkeys(ids))


def _check_context(spec: Event, context: dict[str, Any]) -> None:
    missing = spec.fields - context.keys()
    if missing:
        raise ValueError(f"Event {spec.name!r} needs context {sorted(missing)}.")
    json.dumps(context)  # plain JSON values only: a Decimal or a date raises TypeError here


def _delivery(
    notification: Notification, channel: str, group: str, quiet_until: Any
) -> NotificationDelivery:
    user = notification.user
    preference = getattr(user, "notification_preference", None) or DEFAULT_PREFERENCE
    delivery = NotificationDelivery(notification=notification, channel=channel)
    if not preference.allows(channel, group):
        delivery.status, delivery.reason = DeliveryStatus.SKIPPED, SkipReason.PREFERENCE_OFF
    elif channel == Channel.EMAIL and not user.email:
        delivery.status, delivery.reason = DeliveryStatus.SKIPPED, SkipReason.NO_EMAIL
    elif channel == Channel.SMS and quiet_until is not None:
        delivery.status, delivery.not_before = DeliveryStatus.DEFERRED, quiet_until
        delivery.reason = "quiet_hours"
    return delivery


@transaction.atomic
def notify(
    *,
    event: str,
    users: Iterable[User] | Iterable[uuid.UUID | int | str],
    context: dict[str, Any],
    key: str | None = None,
    urgent: bool = False,
    chama_id: uuid.UUID | None = None,
) -> int:
    """Tell ``users`` about ``event``: an inbox item each, rendered in their language, and one
    delivery per channel of the event, sent after commit by one task; returns how many
    notifications were made.

    ``key`` is the event's natural key: a user already told with it is not told again (a
    unique constraint, so two racing jobs cannot both tell them). A constant number of
    queries however many users: one read, bulk inserts, one read-back when keyed.
    """
    spec = event_get(event)
    _check_context(spec, context)
    ids = _user_ids(users)
    if not ids:
        return 0
    recipients = list(
        User.objects.filter(pk__in=ids, is_active=True).select_related("notification_preference")
    )
    texts = {lang: spec.render(context, lang) for lang in {user.language for user in recipients}}
    notifications = [
        Notification(
            user=user,
            event=event,
            key=key,
            chama_id=chama_id,
            title=texts[user.language][0],
            body=texts[user.language][1],
            context=context,
            urgent=urgent or spec.urgent,
        )
        for user in recipients
    ]
    Notification.objects.bulk_create(notifications, ignore_conflicts=key is not None)
    if key is not None:
        # Rows whose (user, key) already existed were not inserted: keep the ones that were.
        made = set(
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).values_list(
                "pk", flat=True
            )
        )
        notifications = [n for n in notifications if n.pk in made]
    quiet_until = None if urgent or spec.urgent else quiet_hours_end()
    deliveries = [
        _delivery(notification, channel, spec.group, quiet_until)
        for notification in notifications
        for channel in spec.channels
    ]
    NotificationDelivery.objects.bulk_create(deliveries)
    if any(d.status == DeliveryStatus.QUEUED for d in deliveries):
        from accounts.tasks import notifications_deliver_task

        transaction.on_commit(notifications_deliver_task.delay)
    return len(notifications)


def notification_read(*, notification: Notification) -> Notification:
    """Mark one of my notifications read (once: the first reading time stays)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_read_all(*, user: User) -> int:
    """Mark all my unread notifications read; returns how many."""
    now = timezone.now()
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )


@transaction.atomic
def notification_preference_update(*, user: User, data: dict[str, Any]) -> NotificationPreference:
    """Change my channels (``sms``, ``email``, ``whatsapp``) and the groups muted per channel."""
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    for field, value in data.items():
        setattr(preference, field, value)
    preference.full_clean()
    preference.save()
    return preference
