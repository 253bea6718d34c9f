"""notifications/: my inbox (list, unread count, mark read) and my channels. Only ever my own:
another user's notification is 404."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.auth import user_of
from accounts.api.notifications.filters import NotificationFilter
from accounts.api.notifications.serializers import (
    NotificationOutputSerializer,
    NotificationPreferenceOutputSerializer,
    NotificationPreferenceUpdateInputSerializer,
    ReadAllOutputSerializer,
    UnreadCountOutputSerializer,
)
from accounts.models import Notification
from accounts.notifications import selectors, services

UUID_RE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """notifications/ (GET), notifications/{id}/read/, notifications/read-all/ and
    notifications/unread-count/."""

    serializer_class = NotificationOutputSerializer
    filterset_class = NotificationFilter
    lookup_value_regex = UUID_RE

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular, without a request
            return QuerySet(Notification).none()
        return selectors.notification_list(user=user_of(self.request))

    @extend_schema(summary="My notifications, newest first")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Mark one of my notifications read",
        request=None,
        responses={200: NotificationOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notification = selectors.notification_get(user=user_of(request), notification_id=pk)
        if notification is None:
            raise exceptions.NotFound()
        notification = services.notification_read(notification=notification)
        return Response(NotificationOutputSerializer(notification).data)

    @extend_schema(
        summary="Mark all my notifications read",
        request=None,
        responses={200: ReadAllOutputSerializer},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"read": services.notifications_read_all(user=user_of(request))})

    @extend_schema(
        summary="How many of my notifications are unread", responses=UnreadCountOutputSerializer
    )
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": selectors.notification_unread_count(user=user_of(request))})


class NotificationPreferenceView(APIView):
    """notifications/preferences/ (GET, PATCH): my channels."""

    @extend_schema(
        summary="My notification channels",
        responses={200: NotificationPreferenceOutputSerializer},
    )
    def get(self, request: Request) -> Response:
        preference = selectors.notification_preference_get(user=user_of(request))
        return Response(NotificationPreferenceOutputSerializer(preference).data)

    @extend_schema(
        summary="Change my notification channels",
        request=NotificationPreferenceUpdateInputSerializer,
        responses={200: NotificationPreferenceOutputSerializer},
    )
    def patch(self, request: Request) -> Response:
        serializer = NotificationPreferenceUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preference = services.notification_preference_update(
            user=user_of(request), data=dict(serializer.validated_data)
        )
        return Response(NotificationPreferenceOutputSerializer(preference).data)
