"""The meetings, attendance and documents lists cost a constant number of queries, however
many rows they show."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.services.documents import document_upload
from governance.services.meetings import attendance_record
from tests.factories import add_member
from tests.governance.meetings_fixtures import PDF_BYTES, schedule, upload

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 28, 14, 0, tzinfo=ZoneInfo("Africa/Nairobi"))


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def add_meetings(club, count, offset):
    for i in range(count):
        meeting = schedule(club, START + timedelta(days=offset + i), chaired_by=club.chair)
        attendance_record(
            meeting=meeting,
            acting=club.secretary,
            attendance=[{"member_id": club.member.pk, "status": "present"}],
        )


def add_documents(club, count):
    for _ in range(count):
        document_upload(
            chama=club.chama, acting=club.chair, file=upload("d.pdf", PDF_BYTES), kind="other"
        )


def test_meetings_list(club):
    client, url = club.clients["member"], f"{club.base}/meetings/"
    add_meetings(club, 1, 0)
    few, _ = queries(client, url)

    add_meetings(club, 5, 10)
    many, sql = queries(client, url)

    # user, membership, count, page (with the attendance counts and who chaired)
    assert few == many == 4, "\n".join(sql)


def test_attendance_list(club):
    meeting = schedule(club, START)
    client, url = club.clients["member"], f"{club.base}/meetings/{meeting.pk}/attendance/"
    attendance_record(
        meeting=meeting,
        acting=club.secretary,
        attendance=[{"member_id": club.member.pk, "status": "present"}],
    )
    few, _ = queries(client, url)

    others = [add_member(club.chama) for _ in range(5)]
    attendance_record(
        meeting=meeting,
        acting=club.secretary,
        attendance=[{"member_id": m.pk, "status": "absent"} for m in others],
    )
    many, sql = queries(client, url)

    # user, membership, the meeting, count, page (members and recorders joined)
    assert few == many == 5, "\n".join(sql)


def test_documents_list(club):
    client, url = club.clients["member"], f"{club.base}/documents/"
    add_documents(club, 1)
    few, _ = queries(client, url)

    add_documents(club, 5)
    many, sql = queries(client, url)

    # user, membership, count, page (with the uploaders)
    assert few == many == 4, "\n".join(sql)
