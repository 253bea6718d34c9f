"""Who may do what in meetings and documents: the permission matrix of every endpoint.

Anonymous → 401; signed in but not a member → 404; a role the action does not admit → 403;
an admitted role passes the permission checks (the service may still refuse on the merits).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from governance.services.documents import document_upload
from tests.governance.meetings_fixtures import PDF_BYTES, schedule, upload
from tests.permission_matrix import EVERY_MEMBER, OFFICIALS, matrix_tests

pytestmark = pytest.mark.django_db

RECORDERS = {"chair", "secretary"}
MINUTES_FORM = "multipart"


def endpoints(club, meeting_id, document_id):
    meeting = f"{club.base}/meetings/{meeting_id}"
    document = f"{club.base}/documents/{document_id}"
    starts = timezone.now() + timedelta(days=7)
    new_meeting = {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "place": "Hall",
    }
    attendance = {"attendance": [{"member_id": str(club.member.pk), "status": "present"}]}
    return [
        ("GET", f"{club.base}/meetings/", None, EVERY_MEMBER),
        ("POST", f"{club.base}/meetings/", new_meeting, OFFICIALS),
        ("GET", f"{meeting}/", None, EVERY_MEMBER),
        ("POST", f"{meeting}/cancel/", None, OFFICIALS),
        ("GET", f"{meeting}/attendance/", None, EVERY_MEMBER),
        ("POST", f"{meeting}/attendance/", attendance, RECORDERS),
        ("POST", f"{meeting}/attendance/check-in/", None, EVERY_MEMBER),
        ("GET", f"{meeting}/minutes/", None, EVERY_MEMBER),
        ("POST", f"{meeting}/minutes/", lambda: {"text": "Minutes."}, RECORDERS),
        ("GET", f"{club.base}/documents/", None, EVERY_MEMBER),
        (
            "POST",
            f"{club.base}/documents/",
            lambda: {"kind": "other", "file": upload("a.pdf", PDF_BYTES)},
            OFFICIALS,
        ),
        ("GET", f"{document}/", None, EVERY_MEMBER),
        ("GET", f"{document}/download/", None, EVERY_MEMBER),
        ("DELETE", f"{document}/", None, OFFICIALS),
    ]


@pytest.fixture
def matrix(club):
    meeting = schedule(club, timezone.now() - timedelta(minutes=5))
    document = document_upload(
        chama=club.chama, acting=club.chair, file=upload("c.pdf", PDF_BYTES), kind="constitution"
    )
    return endpoints(club, meeting.pk, document.pk)


COUNT = 14


(
    test_the_matrix_covers_every_endpoint,
    test_anonymous_is_401_and_outsider_is_404,
    test_each_role_is_admitted_or_refused,
) = matrix_tests(COUNT, statuses={200, 201, 204})
