"""The inbox's filter (django-filter, as every list's)."""

import django_filters
from django.db.models import QuerySet

from accounts.models import Notification


class NotificationFilter(django_filters.FilterSet):  # type: ignore[misc]  # untyped
    # A choice, not a BooleanFilter: that one reads "perhaps" as no filter at all.
    unread = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_unread",
        help_text="true: only the unread; false: only the read.",
    )

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_unread(
        self, notifications: QuerySet[Notification], name: str, value: str
    ) -> QuerySet[Notification]:
        return notifications.filter(read_at__isnull=value == "true")
