"""Reads of notifications: my inbox, one of my notifications, my preferences."""

from uuid import UUID

from django.db.models import QuerySet

from accounts.models import Notification, NotificationPreference, User


def notification_list(*, user: User) -> QuerySet[Notification]:
    """My inbox, newest first; nobody else's."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_get(*, user: User, notification_id: UUID | str) -> Notification | None:
    return notification_list(user=user).filter(pk=notification_id).first()


def notification_unread_count(*, user: User) -> int:
    return notification_list(user=user).filter(read_at__isnull=True).count()


def notification_preference_get(*, user: User) -> NotificationPreference:
    """My preferences: the stored row, or the defaults (unsaved) when I never changed them."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)
