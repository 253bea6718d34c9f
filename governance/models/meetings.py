"""Meetings of a chama, who attended them, and their minutes."""

from django.db import models
from django.db.models import F, Q

from core.models import BaseModel
from governance.models.documents import Document
from groups.models import Chama, Membership


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excused"
    LATE = "late", "Late"


class Meeting(BaseModel):
    """A meeting, scheduled by an official. Invariants: it ends after it starts; it has a
    place or a video link; it becomes held when its attendance or minutes are recorded, and a
    cancelled meeting takes neither. ``chaired_by`` is who chaired it (a member of the chama);
    the minutes are text plus an optional file (a Document of kind minutes)."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    video_link = models.CharField(max_length=500, blank=True)
    agenda = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    scheduled_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    chaired_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes = models.TextField(blank=True)
    minutes_document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_recorded_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="governance_meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(video_link=""), name="governance_meeting_has_venue"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="governance_meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(minutes_recorded_at__isnull=True) | ~Q(status=MeetingStatus.CANCELLED),
                name="governance_meeting_cancelled_has_no_minutes",
            ),
        ]
        indexes = [models.Index(fields=["chama", "starts_at"], name="governance_meeting_starts")]

    def __str__(self) -> str:
        return f"Meeting of {self.starts_at:%Y-%m-%d %H:%M}"


class Attendance(BaseModel):
    """One member's attendance at one meeting (unique per meeting and member), recorded by
    the secretary or the chair (``recorded_by``), or by the member checking in
    (``checked_in_at`` set)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "membership__seat", "membership__member_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="governance_attendance_one_per_member"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values),
                name="governance_attendance_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.status}"
