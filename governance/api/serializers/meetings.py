from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer
from governance.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from governance.services.meetings import AGENDA_MAX, LINK_MAX, MINUTES_MAX, PLACE_MAX
from groups.api.fields import ChamaMemberField

ATTENDANCE_ROWS_MAX = 1000


class MemberRefOutputSerializer(serializers.Serializer):
    member_id = serializers.UUIDField(source="pk")
    full_name = serializers.CharField(source="user.full_name")
    member_code = serializers.CharField()


class AttendanceSummaryOutputSerializer(serializers.Serializer):
    present = serializers.IntegerField(source="attendance_present")
    late = serializers.IntegerField(source="attendance_late")
    excused = serializers.IntegerField(source="attendance_excused")
    absent = serializers.IntegerField(source="attendance_absent")


class MeetingOutputSerializer(serializers.ModelSerializer):
    """A meeting with its attendance counted by status (``recorded``: rows taken so far)."""

    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    chaired_by = MemberRefOutputSerializer(allow_null=True)
    scheduled_by = MemberRefOutputSerializer()
    attendance = serializers.SerializerMethodField()
    minutes_recorded = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "starts_at",
            "ends_at",
            "place",
            "video_link",
            "agenda",
            "status",
            "chaired_by",
            "scheduled_by",
            "attendance",
            "minutes_recorded",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AttendanceSummaryOutputSerializer)
    def get_attendance(self, meeting: Meeting) -> dict[str, Any]:
        return dict(AttendanceSummaryOutputSerializer(meeting).data)

    @extend_schema_field(serializers.BooleanField())
    def get_minutes_recorded(self, meeting: Meeting) -> bool:
        return meeting.minutes_recorded_at is not None


class MeetingDetailOutputSerializer(MeetingOutputSerializer):
    """A meeting's page: also the caller's own attendance (null if not recorded)."""

    my_attendance = serializers.SerializerMethodField()

    class Meta(MeetingOutputSerializer.Meta):
        fields = [*MeetingOutputSerializer.Meta.fields, "my_attendance"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=AttendanceStatus.choices, allow_null=True))
    def get_my_attendance(self, meeting: Meeting) -> str | None:
        status: str | None = self.context.get("my_attendance")
        return status


class MeetingScheduleInputSerializer(InputSerializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=PLACE_MAX, allow_blank=True, default="")
    video_link = serializers.CharField(
        max_length=LINK_MAX,
        allow_blank=True,
        default="",
        help_text="An http(s) link to the video call; a meeting needs a place or a link.",
    )
    agenda = serializers.CharField(max_length=AGENDA_MAX, allow_blank=True, default="")
    chair_id = ChamaMemberField(
        source="chaired_by", required=False, help_text="Who will chair the meeting."
    )


class AttendanceOutputSerializer(serializers.ModelSerializer):
    member = MemberRefOutputSerializer(source="membership")
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    recorded_by = MemberRefOutputSerializer()
    self_check_in = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = ["member", "status", "recorded_by", "self_check_in", "checked_in_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_self_check_in(self, attendance: Attendance) -> bool:
        return attendance.checked_in_at is not None


class AttendanceRowInputSerializer(serializers.Serializer):
    member_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class AttendanceRecordInputSerializer(InputSerializer):
    attendance = AttendanceRowInputSerializer(many=True, max_length=ATTENDANCE_ROWS_MAX)  # type: ignore[call-arg]
    chair_id = ChamaMemberField(
        source="chaired_by", required=False, help_text="Who chaired the meeting."
    )


class MinutesOutputSerializer(serializers.Serializer):
    text = serializers.CharField(source="minutes")
    recorded_by = MemberRefOutputSerializer(source="minutes_recorded_by", allow_null=True)
    recorded_at = serializers.DateTimeField(source="minutes_recorded_at", allow_null=True)
    document_id = serializers.UUIDField(source="minutes_document_id", allow_null=True)


class MinutesRecordInputSerializer(InputSerializer):
    text = serializers.CharField(max_length=MINUTES_MAX)
    file = serializers.FileField(
        required=False, help_text="The minutes as a file (PDF, Word, image or text)."
    )
