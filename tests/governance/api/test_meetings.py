"""chamas/{id}/meetings/: schedule, attendance in bulk, check-in and minutes over the API;
bad input answers 4xx and writes nothing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from governance.models import Attendance, Document, Meeting
from tests.governance.meetings_fixtures import EXE_BYTES, PDF_BYTES, schedule, upload

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 28, 14, 0, tzinfo=ZoneInfo("Africa/Nairobi"))


def test_the_secretary_schedules_a_meeting_and_members_see_it(club):
    response = club.clients["secretary"].post(
        f"{club.base}/meetings/",
        {
            "starts_at": "2026-03-28T14:00:00+03:00",
            "ends_at": "2026-03-28T17:00:00+03:00",
            "place": "Kawangware social hall",
            "agenda": "Contributions; loans; AOB",
            "chair_id": str(club.chair.pk),
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "scheduled"
    assert body["chaired_by"]["member_id"] == str(club.chair.pk)
    assert body["attendance"] == {"present": 0, "late": 0, "excused": 0, "absent": 0}
    assert body["my_attendance"] is None
    listed = club.clients["member"].get(f"{club.base}/meetings/").json()
    assert [m["id"] for m in listed["results"]] == [body["id"]]


@pytest.mark.parametrize(
    ("body", "attr", "code"),
    [
        ({"ends_at": "2026-03-28T13:00:00+03:00"}, "ends_at", "meeting_ends_before_start"),
        ({"place": ""}, "place", "meeting_no_venue"),
        ({"video_link": "ftp://x"}, "video_link", "meeting_invalid_link"),
        ({"starts_at": "tomorrow"}, "starts_at", "invalid"),
        ({"chair_id": "00000000-0000-0000-0000-000000000000"}, "chair_id", "unknown_member"),
        ({"status": "held"}, "status", "unknown_field"),
    ],
)
def test_a_bad_meeting_is_refused(club, body, attr, code):
    data = {
        "starts_at": "2026-03-28T14:00:00+03:00",
        "ends_at": "2026-03-28T17:00:00+03:00",
        "place": "Hall",
        **body,
    }

    response = club.clients["chair"].post(f"{club.base}/meetings/", data, format="json")

    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [(attr, code)]
    assert not Meeting.objects.exists()


def test_attendance_in_bulk_then_the_summary_and_the_list(club):
    meeting = schedule(club, START)
    url = f"{club.base}/meetings/{meeting.pk}/"
    body = {
        "attendance": [
            {"member_id": str(club.chair.pk), "status": "present"},
            {"member_id": str(club.member.pk), "status": "late"},
            {"member_id": str(club.auditor.pk), "status": "absent"},
        ],
        "chair_id": str(club.chair.pk),
    }

    with time_machine.travel(START + timedelta(hours=1), tick=False):
        response = club.fresh("secretary").post(f"{url}attendance/", body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "held"
    assert response.json()["attendance"] == {"present": 1, "late": 1, "excused": 0, "absent": 1}
    member_view = club.clients["member"].get(url).json()
    assert member_view["my_attendance"] == "late"
    rows = club.clients["member"].get(f"{url}attendance/").json()["results"]
    assert [(r["member"]["member_id"], r["status"]) for r in rows] == [
        (str(club.chair.pk), "present"),
        (str(club.auditor.pk), "absent"),
        (str(club.member.pk), "late"),
    ]
    assert rows[0]["recorded_by"]["member_id"] == str(club.secretary.pk)


@pytest.mark.parametrize(
    ("rows", "attr", "code"),
    [
        (
            [{"member_id": "00000000-0000-0000-0000-000000000000", "status": "present"}],
            "attendance",
            "unknown_member",
        ),
        ([{"member_id": "MEMBER", "status": "asleep"}], "attendance.0.status", "invalid_choice"),
        ([], "attendance", "attendance_empty"),
        ("present", "attendance.non_field_errors", "not_a_list"),
    ],
)
def test_bad_attendance_writes_nothing(club, rows, attr, code):
    meeting = schedule(club, START)
    if isinstance(rows, list):
        rows = [
            {**r, "member_id": r["member_id"].replace("MEMBER", str(club.member.pk))} for r in rows
        ]

    response = club.clients["secretary"].post(
        f"{club.base}/meetings/{meeting.pk}/attendance/", {"attendance": rows}, format="json"
    )

    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [(attr, code)]
    assert not Attendance.objects.exists()


def test_a_member_checks_in_within_the_hours_and_not_outside(club):
    meeting = schedule(club, START)
    url = f"{club.base}/meetings/{meeting.pk}/attendance/check-in/"
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        early = club.fresh("member").post(url)
    with time_machine.travel(START + timedelta(minutes=20), tick=False):
        late = club.fresh("member").post(url)

    assert early.status_code == 409
    assert early.json()["errors"][0]["code"] == "check_in_closed"
    assert late.status_code == 200
    assert late.json()["my_attendance"] == "late"
    assert Attendance.objects.get().status == "late"


def test_minutes_with_a_file_then_read_by_a_member(club):
    meeting = schedule(club, START)
    url = f"{club.base}/meetings/{meeting.pk}/minutes/"

    with time_machine.travel(START + timedelta(hours=3), tick=False):
        response = club.fresh("secretary").post(
            url,
            {"text": "Michango: 5,000.", "file": upload("m.pdf", PDF_BYTES)},
            format="multipart",
        )

    assert response.status_code == 200, response.json()
    minutes = club.clients["member"].get(url).json()
    document = Document.objects.get()
    assert minutes == {
        "text": "Michango: 5,000.",
        "recorded_by": {
            "member_id": str(club.secretary.pk),
            "full_name": club.secretary.user.full_name,
            "member_code": club.secretary.member_code,
        },
        "recorded_at": "2026-03-28T17:00:00+03:00",
        "document_id": str(document.pk),
    }
    download = club.clients["member"].get(f"{club.base}/documents/{document.pk}/download/")
    assert download.status_code == 200


def test_minutes_with_an_executable_write_nothing(club):
    meeting = schedule(club, START)

    with time_machine.travel(START + timedelta(hours=3), tick=False):
        response = club.fresh("secretary").post(
            f"{club.base}/meetings/{meeting.pk}/minutes/",
            {"text": "x", "file": upload("m.pdf", EXE_BYTES)},
            format="multipart",
        )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "file_executable"
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.minutes_recorded_at, meeting.status) == ("", None, "scheduled")
    assert not Document.objects.exists()


def test_a_meeting_of_another_chama_is_404(club, client_for):
    from tests.governance.meetings_fixtures import make_club

    other = make_club(client_for)
    theirs = schedule(other, START)

    for path in ("", "attendance/", "minutes/"):
        response = club.clients["chair"].get(f"{club.base}/meetings/{theirs.pk}/{path}")
        assert response.status_code == 404
