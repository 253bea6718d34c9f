"""Reads of meetings and attendance, with what their pages show joined in."""

from uuid import UUID

from django.db.models import Count, Q, QuerySet

from governance.models import Attendance, AttendanceStatus, Meeting
from groups.models import Chama, Membership


def meeting_list(*, chama: Chama) -> QuerySet[Meeting]:
    """The chama's meetings, latest first, each with its attendance counted by status."""
    counts = {
        f"attendance_{status}": Count("attendance", filter=Q(attendance__status=status))
        for status in AttendanceStatus.values
    }
    return (
        Meeting.objects.filter(chama=chama)
        .select_related("chaired_by__user", "scheduled_by__user")
        .annotate(**counts)
        .order_by("-starts_at", "-id")
    )


def meeting_detail_list(*, chama: Chama) -> QuerySet[Meeting]:
    """As ``meeting_list``, with the minutes' recorder and file."""
    return meeting_list(chama=chama).select_related("minutes_recorded_by__user", "minutes_document")


def attendance_list(*, meeting: Meeting) -> QuerySet[Attendance]:
    """A meeting's attendance by seat, with each member and who recorded them."""
    return (
        Attendance.objects.filter(meeting=meeting)
        .select_related("membership__user", "recorded_by__user")
        .order_by("membership__seat", "membership__member_code", "id")
    )


def attendance_status_get(*, meeting_id: UUID | str, membership: Membership) -> str | None:
    """The member's own attendance at the meeting, or None."""
    return (
        Attendance.objects.filter(meeting_id=meeting_id, membership=membership)
        .values_list("status", flat=True)
        .first()
    )
