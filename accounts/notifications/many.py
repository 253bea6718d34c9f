"""``notify_many``: many events, keys and texts told in one go, for the scheduled jobs.

A reminder job tells thousands of members about thousands of different dues: one ``notify``
per text would make its query count grow with the rounds it reminds. ``notify_many`` takes
every batch at once and writes them as ``notify`` writes one, in the same constant number of
queries (one read of the users, bulk inserts, one read-back) however many batches and users.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accounts.choices import DeliveryStatus
from accounts.models import Notification, NotificationDelivery, User
from accounts.notifications.catalogue import event_get
from accounts.notifications.quiet_hours import quiet_hours_end
from accounts.notifications.services import _check_context, _delivery, _user_ids


@dataclass(frozen=True)
class NotifyBatch:
    """One ``notify`` call's arguments: ``event`` told to ``users`` with one ``context``."""

    event: str
    users: list[Any]
    context: dict[str, Any]
    key: str | None = None
    chama_id: uuid.UUID | None = None
    urgent: bool = False


@transaction.atomic
def notify_many(batches: Iterable[NotifyBatch]) -> int:
    """Tell every batch's users about its event, as ``notify`` does for one; returns how many
    notifications were made (a user already told with a batch's key is not told again)."""
    users = [(batch, _user_ids(batch.users)) for batch in batches]
    users = [(batch, ids) for batch, ids in users if ids]
    specs = {batch.event: event_get(batch.event) for batch, _ in users}
    for batch, _ in users:
        _check_context(specs[batch.event], batch.context)
    ids = {user for _, batch_users in users for user in batch_users}
    if not ids:
        return 0
    recipients = {
        user.pk: user
        for user in User.objects.filter(pk__in=ids, is_active=True).select_related(
            "notification_preference"
        )
    }
    notifications, groups, urgent_flags = [], [], []
    for batch, batch_users in users:
        spec = specs[batch.event]
        texts: dict[str, tuple[str, str]] = {}
        for user_id in batch_users:
            user = recipients.get(user_id)
            if user is None:
                continue
            if user.language not in texts:
                texts[user.language] = spec.render(batch.context, user.language)
            title, body = texts[user.language]
            urgent = batch.urgent or spec.urgent
            notifications.append(
                Notification(
                    user=user,
                    event=batch.event,
                    key=batch.key,
                    chama_id=batch.chama_id,
                    title=title,
                    body=body,
                    context=batch.context,
                    urgent=urgent,
                )
            )
            groups.append(spec)
            urgent_flags.append(urgent)
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    # Rows whose (user, key) already existed were not inserted: keep the ones that were.
    made = set(
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).values_list(
            "pk", flat=True
        )
    )
    quiet = quiet_hours_end()
    deliveries = [
        _delivery(notification, channel, spec.group, None if urgent else quiet)
        for notification, spec, urgent in zip(notifications, groups, urgent_flags, strict=True)
        if notification.pk in made
        for channel in spec.channels
    ]
    NotificationDelivery.objects.bulk_create(deliveries)
    if any(d.status == DeliveryStatus.QUEUED for d in deliveries):
        from accounts.tasks import notifications_deliver_task

        transaction.on_commit(notifications_deliver_task.delay)
    return len(made)
