"""chamas/{chama_id}/meetings/: meetings scheduled by the officials, their attendance (taken
by the secretary or the chair, or by a member checking in) and their minutes."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from governance.api.serializers.meetings import (
    AttendanceOutputSerializer,
    AttendanceRecordInputSerializer,
    MeetingDetailOutputSerializer,
    MeetingOutputSerializer,
    MeetingScheduleInputSerializer,
    MinutesOutputSerializer,
    MinutesRecordInputSerializer,
)
from governance.api.uploads import UploadParser
from governance.models import Meeting, MeetingStatus
from governance.selectors.meetings import (
    attendance_list,
    attendance_status_get,
    meeting_detail_list,
    meeting_list,
)
from governance.services.meetings import (
    RECORDERS,
    attendance_check_in,
    attendance_record,
    meeting_cancel,
    meeting_schedule,
    minutes_record,
)
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import ALL_ROLES


class MeetingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)

    class Meta:
        model = Meeting
        fields = ["status"]


class MeetingViewSet(ListModelMixin, RetrieveModelMixin, ChamaScopedViewSet):
    """Every member reads meetings, attendance and minutes and checks in; the officials
    schedule and cancel; the secretary or the chair records attendance and minutes."""

    lookup_url_kwarg = "meeting_id"
    target_name = "meeting"
    filterset_class = MeetingFilter
    action_roles = {
        "attendance": ALL_ROLES,
        "attendance_record": RECORDERS,
        "check_in": ALL_ROLES,
        "minutes": ALL_ROLES,
        "minutes_record": RECORDERS,
    }

    def get_queryset(self) -> QuerySet[Meeting]:
        if self.is_schema_generation:
            return QuerySet(Meeting).none()
        if self.action == "list":
            return meeting_list(chama=self.chama)
        return meeting_detail_list(chama=self.chama)

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return MeetingOutputSerializer
        if self.action in {"minutes", "minutes_record"}:
            return MinutesOutputSerializer
        return MeetingDetailOutputSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        meeting_id = self.kwargs.get(self.lookup_url_kwarg)
        if meeting_id and self.action not in {"list", "minutes", "minutes_record"}:
            context["my_attendance"] = attendance_status_get(
                meeting_id=meeting_id, membership=self.membership
            )
        return context

    @extend_schema(
        summary="Meetings, latest first, with their attendance counted",
        responses={200: MeetingOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A meeting, its attendance counted and your own",
        responses={200: MeetingDetailOutputSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Schedule a meeting (an official)",
        request=MeetingScheduleInputSerializer,
        responses={201: MeetingDetailOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(
            meeting_schedule, input_serializer=MeetingScheduleInputSerializer
        )

    @extend_schema(
        summary="Cancel a scheduled meeting (an official)",
        request=None,
        responses={200: MeetingDetailOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, chama_id: str, meeting_id: str) -> Response:
        return self.transition(meeting_cancel)

    @extend_schema(
        summary="The meeting's attendance, by seat",
        responses={200: AttendanceOutputSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def attendance(self, request: Request, chama_id: str, meeting_id: str) -> Response:
        meeting = self.get_object()
        page = self.paginate_queryset(attendance_list(meeting=meeting))
        data = AttendanceOutputSerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Record the attendance of the members listed (the secretary or the chair)",
        request=AttendanceRecordInputSerializer,
        responses={200: MeetingDetailOutputSerializer},
    )
    @attendance.mapping.post
    def attendance_record(self, request: Request, chama_id: str, meeting_id: str) -> Response:
        return self.transition(attendance_record, input_serializer=AttendanceRecordInputSerializer)

    @extend_schema(
        summary="Check yourself in: present, or late after the lateness window",
        request=None,
        responses={200: MeetingDetailOutputSerializer},
    )
    @action(detail=True, methods=["post"], url_path="attendance/check-in")
    def check_in(self, request: Request, chama_id: str, meeting_id: str) -> Response:
        return self.transition(attendance_check_in)

    @extend_schema(summary="The meeting's minutes", responses={200: MinutesOutputSerializer})
    @action(detail=True, methods=["get"], parser_classes=[UploadParser])
    def minutes(self, request: Request, chama_id: str, meeting_id: str) -> Response:
        return self.respond(self.get_object())

    @extend_schema(
        summary="Record the minutes (the secretary), or amend them (the chair)",
        request={"multipart/form-data": MinutesRecordInputSerializer},
        responses={200: MinutesOutputSerializer},
    )
    @minutes.mapping.post
    def minutes_record(self, request: Request, chama_id: str, meeting_id: str) -> Response:
        return self.transition(minutes_record, input_serializer=MinutesRecordInputSerializer)
