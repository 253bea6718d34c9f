"""Meetings, attendance and documents in the back office: read-only, and an official sees
only the chamas where they hold an office."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from governance.services.documents import document_upload
from governance.services.meetings import attendance_record
from groups.access import staff_access_sync
from tests.governance.meetings_fixtures import PDF_BYTES, make_club, schedule, upload

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 28, 14, 0, tzinfo=ZoneInfo("Africa/Nairobi"))


def fill(club, place):
    meeting = schedule(club, START, place=place)
    attendance_record(
        meeting=meeting,
        acting=club.secretary,
        attendance=[{"member_id": club.member.pk, "status": "present"}],
    )
    document_upload(
        chama=club.chama, acting=club.chair, file=upload(f"{place}.pdf", PDF_BYTES), kind="other"
    )
    return meeting


@pytest.mark.parametrize("model", ["meeting", "attendance", "document"])
def test_an_official_sees_only_their_own_chamas_rows(client_for, model):
    ours, theirs = make_club(client_for), make_club(client_for)
    fill(ours, "Ours hall")
    fill(theirs, "Theirs hall")
    secretary = ours.secretary.user
    staff_access_sync(user=secretary)
    browser = Client()
    browser.force_login(secretary)

    page = browser.get(reverse(f"admin:governance_{model}_changelist"))

    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    row = page.context["cl"].result_list[0]
    chama_id = row.meeting.chama_id if model == "attendance" else row.chama_id
    assert chama_id == ours.chama.pk
    assert not page.context["cl"].model_admin.has_add_permission(page.wsgi_request)
