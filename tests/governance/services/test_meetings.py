"""Meetings through their services: scheduling, attendance in bulk, self check-in within the
meeting's hours, and minutes; every refusal writes nothing."""

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from governance.exceptions import MeetingError
from governance.models import Attendance, Meeting
from governance.selectors.constitution import constitution_rules_get
from governance.services.constitution import constitution_adopt
from governance.services.meetings import (
    attendance_check_in,
    attendance_record,
    meeting_cancel,
    meeting_schedule,
    minutes_record,
)
from groups.services import membership_update
from tests.factories import add_member, make_chama
from tests.governance.meetings_fixtures import PDF_BYTES, schedule, upload

pytestmark = pytest.mark.django_db

NAIROBI = ZoneInfo("Africa/Nairobi")
START = datetime(2026, 3, 28, 14, 0, tzinfo=NAIROBI)  # the last Saturday of March, 2 pm


def rows(*pairs):
    return [{"member_id": m.pk, "status": s} for m, s in pairs]


def test_an_official_schedules_a_meeting(club):
    meeting = meeting_schedule(
        chama=club.chama,
        acting=club.treasurer,
        starts_at=START,
        ends_at=START + timedelta(hours=3),
        video_link="https://meet.example.org/umoja",
        agenda="1. Contributions\n2. AOB",
        chaired_by=club.chair,
    )

    assert meeting.status == "scheduled"
    assert meeting.scheduled_by == club.treasurer
    assert meeting.chaired_by == club.chair
    assert meeting.place == ""


@pytest.mark.parametrize(
    ("hours", "place", "link", "error"),
    [
        (0, "Hall", "", MeetingError.ENDS_BEFORE_START),
        (-1, "Hall", "", MeetingError.ENDS_BEFORE_START),
        (25, "Hall", "", MeetingError.TOO_LONG),
        (2, " ", "", MeetingError.NO_VENUE),
        (2, "", "meet.example.org/x", MeetingError.INVALID_LINK),
        (2, "", "https://meet example", MeetingError.INVALID_LINK),
    ],
)
def test_a_meeting_that_cannot_be_is_refused(club, hours, place, link, error):
    with pytest.raises(ValidationFailed) as refused:
        meeting_schedule(
            chama=club.chama,
            acting=club.chair,
            starts_at=START,
            ends_at=START + timedelta(hours=hours),
            place=place,
            video_link=link,
        )

    assert refused.value.code is error
    assert not Meeting.objects.exists()


def test_a_member_or_the_auditor_cannot_schedule(club):
    for who in (club.member, club.auditor):
        with pytest.raises(PermissionDeniedError) as refused:
            schedule_as(club, who)
        assert refused.value.message == "Only the chama's officials schedule and cancel meetings."
    assert not Meeting.objects.exists()


def schedule_as(club, who):
    return meeting_schedule(
        chama=club.chama, acting=who, starts_at=START, ends_at=START + timedelta(hours=1), place="x"
    )


def test_the_secretary_records_attendance_in_bulk_and_corrects_it(club):
    meeting = schedule(club, START)

    with time_machine.travel(START + timedelta(hours=1), tick=False):
        attendance_record(
            meeting=meeting,
            acting=club.secretary,
            attendance=rows(
                (club.chair, "present"),
                (club.treasurer, "late"),
                (club.member, "absent"),
                (club.auditor, "excused"),
            ),
            chaired_by=club.chair,
        )
        attendance_record(
            meeting=meeting,
            acting=club.chair,
            attendance=rows((club.member, "excused"), (club.secretary, "present")),
        )

    got = dict(Attendance.objects.filter(meeting=meeting).values_list("membership", "status"))
    assert got == {
        club.chair.pk: "present",
        club.treasurer.pk: "late",
        club.member.pk: "excused",
        club.auditor.pk: "excused",
        club.secretary.pk: "present",
    }
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert meeting.chaired_by == club.chair
    # One audit row per row created, and one for the member's correction.
    entries = LogEntry.objects.get_for_objects(Attendance.objects.all())
    assert entries.filter(action=LogEntry.Action.CREATE).count() == 5
    (update,) = entries.filter(action=LogEntry.Action.UPDATE)
    assert update.changes == {"status": ["absent", "excused"]}


def test_attendance_recorded_before_the_meeting_leaves_it_scheduled(club):
    meeting = schedule(club, START)

    with time_machine.travel(START - timedelta(days=1), tick=False):
        attendance_record(
            meeting=meeting, acting=club.secretary, attendance=rows((club.member, "excused"))
        )

    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


def test_bad_attendance_writes_nothing(club):
    meeting = schedule(club, START)
    outsider = add_member(make_chama(name="Other Group"))
    gone = add_member(club.chama)
    membership_update(membership=gone, actor=club.chair, data={"status": "exited"})

    cases = [
        ([], MeetingError.EMPTY_ATTENDANCE, "List at least one member's attendance."),
        (
            rows((club.member, "present"), (club.member, "late")),
            MeetingError.DUPLICATE_MEMBER,
            "A member is listed more than once.",
        ),
        (
            rows((club.member, "present"), (outsider, "present")),
            MeetingError.NOT_ACTIVE_MEMBER,
            f"No such active member in this chama: {outsider.pk}.",
        ),
        (
            rows((gone, "present")),
            MeetingError.NOT_ACTIVE_MEMBER,
            f"No such active member in this chama: {gone.pk}.",
        ),
    ]
    for attendance, error, message in cases:
        with pytest.raises(ValidationFailed) as refused:
            attendance_record(meeting=meeting, acting=club.secretary, attendance=attendance)
        assert (refused.value.code, refused.value.message) == (error, message)
        assert refused.value.field == "attendance"
    assert not Attendance.objects.exists()


def test_only_the_secretary_or_the_chair_records_attendance(club):
    meeting = schedule(club, START)

    for who in (club.treasurer, club.auditor, club.member):
        with pytest.raises(PermissionDeniedError) as refused:
            attendance_record(meeting=meeting, acting=who, attendance=rows((who, "present")))
        assert refused.value.code is MeetingError.NOT_SECRETARY
    assert not Attendance.objects.exists()


def test_a_cancelled_meeting_takes_no_attendance_check_in_or_minutes(club):
    meeting = meeting_cancel(meeting=schedule(club, START), acting=club.chair)

    with time_machine.travel(START, tick=False):
        with pytest.raises(ConflictError, match="This meeting was cancelled"):
            attendance_record(
                meeting=meeting, acting=club.secretary, attendance=rows((club.member, "present"))
            )
        with pytest.raises(ConflictError, match="This meeting was cancelled"):
            attendance_check_in(meeting=meeting, acting=club.member)
        with pytest.raises(ConflictError, match="This meeting was cancelled"):
            minutes_record(meeting=meeting, acting=club.secretary, text="x")
        with pytest.raises(ConflictError) as again:
            meeting_cancel(meeting=meeting, acting=club.chair)
    assert (
        again.value.message == "Only a scheduled meeting can be cancelled; this one is cancelled."
    )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("minutes_after_start", "status"),
    [(-15, "present"), (0, "present"), (15, "present"), (16, "late"), (120, "late")],
)
def test_a_member_checks_in_present_or_late(club, minutes_after_start, status):
    meeting = schedule(club, START)

    with time_machine.travel(START + timedelta(minutes=minutes_after_start), tick=False):
        attendance_check_in(meeting=meeting, acting=club.member)

    row = Attendance.objects.get(meeting=meeting)
    assert (row.membership, row.status, row.recorded_by) == (club.member, status, club.member)
    assert row.checked_in_at == START + timedelta(minutes=minutes_after_start)


@pytest.mark.parametrize(("minutes_after_start", "status"), [(30, "present"), (31, "late")])
def test_the_lateness_window_is_the_constitutions(club, minutes_after_start, status):
    rules = constitution_rules_get(chama=club.chama)
    rules = replace(rules, meetings=replace(rules.meetings, lateness_minutes=30))
    constitution_adopt(chama=club.chama, acting=club.chair, rules=rules)
    meeting = schedule(club, START)

    with time_machine.travel(START + timedelta(minutes=minutes_after_start), tick=False):
        attendance_check_in(meeting=meeting, acting=club.member)

    assert Attendance.objects.get(meeting=meeting).status == status


@pytest.mark.parametrize(
    "moment", [START - timedelta(minutes=16), START + timedelta(hours=2, seconds=1)]
)
def test_check_in_outside_the_meetings_hours_is_refused(club, moment):
    meeting = schedule(club, START)

    with time_machine.travel(moment, tick=False), pytest.raises(ConflictError) as refused:
        attendance_check_in(meeting=meeting, acting=club.member)

    assert refused.value.code is MeetingError.CHECK_IN_CLOSED
    assert refused.value.message == (
        "Check-in is open from 2026-03-28 13:45 to 2026-03-28 16:00 (the meeting's hours)."
    )
    assert not Attendance.objects.exists()


def test_checking_in_twice_or_after_the_secretary_is_refused(club):
    meeting = schedule(club, START)
    with time_machine.travel(START, tick=False):
        attendance_check_in(meeting=meeting, acting=club.member)
        attendance_record(
            meeting=meeting, acting=club.secretary, attendance=rows((club.treasurer, "excused"))
        )

        with pytest.raises(ConflictError) as twice:
            attendance_check_in(meeting=meeting, acting=club.member)
        with pytest.raises(ConflictError) as after:
            attendance_check_in(meeting=meeting, acting=club.treasurer)

    assert twice.value.message == "Your attendance at this meeting is already recorded as present."
    assert after.value.message == "Your attendance at this meeting is already recorded as excused."
    assert Attendance.objects.count() == 2


def test_the_secretary_records_minutes_with_a_file_and_the_chair_amends_them(club):
    meeting = schedule(club, START)

    with time_machine.travel(START + timedelta(hours=3), tick=False):
        minutes_record(
            meeting=meeting,
            acting=club.secretary,
            text="Contributions collected.",
            file=upload("minutes.pdf", PDF_BYTES),
        )
        with pytest.raises(PermissionDeniedError) as secretary_again:
            minutes_record(meeting=meeting, acting=club.secretary, text="Changed.")
        minutes_record(meeting=meeting, acting=club.chair, text="Contributions collected: 5,000.")

    meeting.refresh_from_db()
    assert (
        secretary_again.value.message == "The minutes are recorded: only the chair may amend them."
    )
    assert meeting.status == "held"
    assert meeting.minutes == "Contributions collected: 5,000."
    assert meeting.minutes_recorded_by == club.chair
    document = meeting.minutes_document
    assert (document.kind, document.visibility, document.content_type) == (
        "minutes",
        "members",
        "application/pdf",
    )
    assert document.title == "Minutes of the meeting of 2026-03-28"
    assert document.file.read() == PDF_BYTES
    changes = [
        e.changes.get("minutes")
        for e in LogEntry.objects.get_for_object(meeting).order_by("pk")
        if e.action == LogEntry.Action.UPDATE and "minutes" in e.changes
    ]
    assert changes == [
        ["", "Contributions collected."],
        ["Contributions collected.", "Contributions collected: 5,000."],
    ]


def test_minutes_before_the_meeting_starts_are_refused(club):
    meeting = schedule(club, START)

    with time_machine.travel(START - timedelta(minutes=1), tick=False):
        with pytest.raises(ConflictError) as refused:
            minutes_record(meeting=meeting, acting=club.secretary, text="Early.")

    assert refused.value.message == "Minutes can be recorded once the meeting has started."
    meeting.refresh_from_db()
    assert meeting.minutes_recorded_at is None
