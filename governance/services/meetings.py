"""Meetings: scheduled by an official, attendance taken by the secretary (or the chair) or by
a member checking in during the meeting's hours, minutes recorded by the secretary and amended
by the chair. Recording attendance or minutes once the meeting has started marks it held."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypedDict
from uuid import UUID

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.audit import audit_write, audited_by_caller
from core.db import durable
from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from governance.exceptions import MeetingError
from governance.locks import meeting_lock
from governance.models import Attendance, AttendanceStatus, DocumentKind, Meeting, MeetingStatus
from governance.selectors.constitution import constitution_rules_get
from governance.services.documents import document_upload
from groups.choices import MembershipStatus, Role
from groups.models import Chama, Membership
from groups.rules import official_check

RECORDERS = frozenset({Role.SECRETARY, Role.CHAIR})
MAX_DURATION = timedelta(hours=24)
# Check-in opens a little before the start; after the lateness window (the constitution's
# meetings.lateness_minutes) a member is late.
CHECK_IN_EARLY = timedelta(minutes=15)
PLACE_MAX = 200
LINK_MAX = 500
AGENDA_MAX = 10_000
MINUTES_MAX = 100_000


class AttendanceRow(TypedDict):
    member_id: UUID
    status: str


def lateness_window(chama: Chama) -> timedelta:
    """How long after the start a member checking in still counts as present: the
    constitution's ``meetings.lateness_minutes`` (15 in the default template)."""
    return timedelta(minutes=constitution_rules_get(chama=chama).meetings.lateness_minutes)


def _meeting_clean(*, starts_at: datetime, ends_at: datetime, place: str, video_link: str) -> None:
    if ends_at <= starts_at:
        raise ValidationFailed(MeetingError.ENDS_BEFORE_START, field="ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise ValidationFailed(
            MeetingError.TOO_LONG, hours=MAX_DURATION // timedelta(hours=1), field="ends_at"
        )
    if not place.strip() and not video_link.strip():
        raise ValidationFailed(MeetingError.NO_VENUE, field="place")
    link = video_link.strip()
    if link and (not link.startswith(("https://", "http://")) or any(c.isspace() for c in link)):
        raise ValidationFailed(MeetingError.INVALID_LINK, field="video_link")


@transaction.atomic
def meeting_schedule(
    *,
    chama: Chama,
    acting: Membership,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    video_link: str = "",
    agenda: str = "",
    chaired_by: Membership | None = None,
) -> Meeting:
    """An official schedules a meeting; ``chaired_by`` is who will chair it (any member)."""
    official_check(acting, chama_id=chama.pk, refused=MeetingError.NOT_OFFICIAL)
    _meeting_clean(starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link)
    return Meeting.objects.create(
        chama=chama,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        video_link=video_link.strip(),
        agenda=agenda.strip(),
        scheduled_by=acting,
        chaired_by=chaired_by,
    )


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, acting: Membership) -> Meeting:
    official_check(acting, chama_id=meeting.chama_id, refused=MeetingError.NOT_OFFICIAL)
    meeting = meeting_lock(meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ConflictError(MeetingError.NOT_SCHEDULED, status=meeting.status)
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


def _open_meeting(meeting: Meeting) -> Meeting:
    """The meeting locked, refusing a cancelled one."""
    meeting = meeting_lock(meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ConflictError(MeetingError.CANCELLED)
    return meeting


def _mark_held(meeting: Meeting, now: datetime) -> list[str]:
    if meeting.status == MeetingStatus.SCHEDULED and now >= meeting.starts_at:
        meeting.status = MeetingStatus.HELD
        return ["status"]
    return []


def _attendance_members(chama: Chama, rows: Sequence[AttendanceRow]) -> dict[UUID, Membership]:
    """The members named, each an active member of the chama, each named once."""
    if not rows:
        raise ValidationFailed(MeetingError.EMPTY_ATTENDANCE, field="attendance")
    ids = [row["member_id"] for row in rows]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(MeetingError.DUPLICATE_MEMBER, field="attendance")
    members = {
        m.pk: m
        for m in Membership.objects.filter(chama=chama, pk__in=ids, status=MembershipStatus.ACTIVE)
    }
    unknown = [str(i) for i in ids if i not in members]
    if unknown:
        raise ValidationFailed(
            MeetingError.NOT_ACTIVE_MEMBER, member_ids=", ".join(unknown), field="attendance"
        )
    return members


@durable
def attendance_record(
    *,
    meeting: Meeting,
    acting: Membership,
    attendance: Sequence[AttendanceRow],
    chaired_by: Membership | None = None,
) -> Meeting:
    """The secretary (or the chair) sets the attendance of the members listed, in one
    request: new rows inserted and changed rows updated in one statement each (a member
    not listed keeps what they had). ``chaired_by`` records who chaired."""
    official_check(
        acting, chama_id=meeting.chama_id, refused=MeetingError.NOT_SECRETARY, roles=RECORDERS
    )
    meeting = _open_meeting(meeting)
    members = _attendance_members(meeting.chama, attendance)
    existing = {
        a.membership_id: a
        for a in Attendance.objects.filter(meeting=meeting, membership_id__in=list(members))
    }
    now = timezone.now()
    created: list[Attendance] = []
    updated: list[tuple[Attendance, dict[str, tuple[Any, Any]]]] = []
    for row in attendance:
        current = existing.get(row["member_id"])
        if current is None:
            created.append(
                Attendance(
                    meeting=meeting,
                    membership=members[row["member_id"]],
                    status=row["status"],
                    recorded_by=acting,
                )
            )
        elif current.status != row["status"]:
            updated.append((current, {"status": (current.status, row["status"])}))
            current.status = row["status"]
            current.recorded_by = acting
            current.updated_at = now
    with audited_by_caller():
        Attendance.objects.bulk_create(created)
        Attendance.objects.bulk_update(
            [a for a, _ in updated], ["status", "recorded_by", "updated_at"]
        )
    audit_write(created=created, updated=updated)
    _meeting_update(meeting, now=now, chaired_by=chaired_by)
    return meeting


def _meeting_update(meeting: Meeting, *, now: datetime, chaired_by: Membership | None) -> None:
    fields = _mark_held(meeting, now)
    if chaired_by is not None and chaired_by.pk != meeting.chaired_by_id:
        meeting.chaired_by = chaired_by
        fields.append("chaired_by")
    if fields:
        meeting.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def attendance_check_in(*, meeting: Meeting, acting: Membership) -> Meeting:
    """A member checks themselves in during the meeting's hours (from a little before the
    start to its end): present, or late once the lateness window has passed."""
    meeting = _open_meeting(meeting)
    now = timezone.now()
    opens, closes = meeting.starts_at - CHECK_IN_EARLY, meeting.ends_at
    if not opens <= now <= closes:
        local = timezone.localtime
        raise ConflictError(
            MeetingError.CHECK_IN_CLOSED,
            opens=f"{local(opens):%Y-%m-%d %H:%M}",
            closes=f"{local(closes):%Y-%m-%d %H:%M}",
        )
    recorded = Attendance.objects.filter(meeting=meeting, membership=acting).first()
    if recorded is not None:
        raise ConflictError(MeetingError.ALREADY_RECORDED, status=recorded.status)
    # The constitution is read only for a check-in after the start.
    late = now > meeting.starts_at and now > meeting.starts_at + lateness_window(meeting.chama)
    Attendance.objects.create(
        meeting=meeting,
        membership=acting,
        status=AttendanceStatus.LATE if late else AttendanceStatus.PRESENT,
        recorded_by=acting,
        checked_in_at=now,
    )
    _meeting_update(meeting, now=now, chaired_by=None)
    return meeting


@transaction.atomic
def minutes_record(
    *, meeting: Meeting, acting: Membership, text: str, file: File | None = None
) -> Meeting:
    """The secretary (or the chair) records the minutes once the meeting has started; once
    recorded, only the chair amends them. A file is kept as a minutes document every member
    may read."""
    official_check(
        acting, chama_id=meeting.chama_id, refused=MeetingError.NOT_SECRETARY, roles=RECORDERS
    )
    meeting = _open_meeting(meeting)
    if meeting.minutes_recorded_at is not None and acting.role != Role.CHAIR:
        raise PermissionDeniedError(MeetingError.MINUTES_CHAIR_AMENDS)
    now = timezone.now()
    if now < meeting.starts_at:
        raise ConflictError(MeetingError.MINUTES_BEFORE_START)
    fields = ["minutes", "minutes_recorded_by", "minutes_recorded_at", *_mark_held(meeting, now)]
    if file is not None:
        meeting.minutes_document = document_upload(
            chama=meeting.chama,
            acting=acting,
            file=file,
            kind=DocumentKind.MINUTES,
            title=f"Minutes of the meeting of {timezone.localtime(meeting.starts_at):%Y-%m-%d}",
        )
        fields.append("minutes_document")
    meeting.minutes = text.strip()
    meeting.minutes_recorded_by = acting
    meeting.minutes_recorded_at = now
    meeting.save(update_fields=[*fields, "updated_at"])
    return meeting
