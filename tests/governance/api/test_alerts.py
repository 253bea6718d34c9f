"""chamas/{id}/alerts/: the officials and the auditor read the anomaly alerts (members 403,
outsiders 404); an official dismisses or resolves one with a note, once."""

import pytest

from governance.models import AlertStatus, AnomalyAlert, AnomalyRun
from governance.services.anomalies import anomalies_detect
from governance.services.expenses import expense_approve
from tests.governance.api.test_query_counts import queries
from tests.governance.expenses_fixtures import expense_record, receipt_upload
from tests.permission_matrix import matrix_tests

pytestmark = pytest.mark.django_db

READERS = {"chair", "treasurer", "secretary", "auditor"}
DECIDERS = {"chair", "treasurer", "secretary"}


def self_approved(club, count):
    """``count`` expenses paid to the chair and approved by the chair, then the night's run:
    one alert each."""
    for _ in range(count):
        expense = expense_record(
            club,
            payee=club.chair.user.full_name,
            receipt=None,
            receipt_id=receipt_upload(club).pk,
        )
        expense_approve(expense=expense, acting=club.chair)
    AnomalyAlert.objects.all().delete()  # a run of its own each time (one per night)
    AnomalyRun.objects.all().delete()
    anomalies_detect()
    return list(AnomalyAlert.objects.order_by("created_at", "id"))


@pytest.fixture
def matrix(club):
    first, second = self_approved(club, 2)
    alerts = f"{club.base}/alerts"
    note = {"note": "Checked with the chair: a refund of her bus fare, receipt attached."}
    return [
        ("GET", f"{alerts}/", None, READERS),
        ("GET", f"{alerts}/{first.pk}/", None, READERS),
        ("POST", f"{alerts}/{first.pk}/dismiss/", note, DECIDERS),
        ("POST", f"{alerts}/{second.pk}/resolve/", note, DECIDERS),
    ]


COUNT = 4


(
    test_the_matrix_covers_every_endpoint,
    test_anonymous_is_401_and_outsider_is_404,
    test_each_role_is_admitted_or_refused,
) = matrix_tests(COUNT, statuses={200})


def test_an_alert_as_the_api_shows_it(club):
    (alert,) = self_approved(club, 1)

    body = club.clients["auditor"].get(f"{club.base}/alerts/{alert.pk}/").json()

    assert body == {
        "id": str(alert.pk),
        "detector": "self_approved_expense",
        "target": {"kind": "expense", "id": str(alert.target_id)},
        "severity": "0.900",
        "reasons": alert.reasons,
        "suggested_action": (
            "Have another official review the expense: no official approves a payment to "
            "themselves."
        ),
        "status": "open",
        "day": alert.run.day.isoformat(),
        "decided_by": None,
        "decided_at": None,
        "note": "",
        "created_at": body["created_at"],
    }
    assert body["reasons"][0].startswith(f"approved by {club.chair.user.full_name}, who is")


def test_resolve_records_the_official_and_the_note_and_a_second_decision_is_409(club):
    (alert,) = self_approved(club, 1)
    url = f"{club.base}/alerts/{alert.pk}"

    resolved = club.clients["secretary"].post(
        f"{url}/resolve/", {"note": "The chair repaid it."}, format="json"
    )
    again = club.clients["treasurer"].post(
        f"{url}/dismiss/", {"note": "Nothing wrong."}, format="json"
    )

    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["note"] == "The chair repaid it."
    assert resolved.json()["decided_by"]["member_id"] == str(club.secretary.pk)
    assert again.status_code == 409
    assert again.json()["errors"] == [
        {
            "code": "alert_not_open",
            "detail": "Only an open alert can be dismissed or resolved; this one is resolved.",
            "attr": None,
        }
    ]
    alert.refresh_from_db()
    assert (alert.status, alert.decided_by) == (AlertStatus.RESOLVED, club.secretary)


def test_a_decision_without_a_note_is_400_and_writes_nothing(club):
    (alert,) = self_approved(club, 1)

    response = club.clients["chair"].post(
        f"{club.base}/alerts/{alert.pk}/dismiss/", {"note": "   "}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "note"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_filters_by_status_and_severity(club):
    first, second = self_approved(club, 2)
    club.clients["chair"].post(
        f"{club.base}/alerts/{first.pk}/dismiss/", {"note": "Refund."}, format="json"
    )
    client, url = club.clients["auditor"], f"{club.base}/alerts/"

    def ids(query):
        return [row["id"] for row in client.get(url + query).json()["results"]]

    assert ids("?status=open") == [str(second.pk)]
    assert ids("?status=dismissed") == [str(first.pk)]
    assert sorted(ids("?severity_min=0.9")) == sorted([str(first.pk), str(second.pk)])
    assert ids("?severity_min=0.95") == []


def test_the_list_is_constant(club):
    client, url = club.clients["auditor"], f"{club.base}/alerts/"
    self_approved(club, 1)
    few, _ = queries(client, url)

    self_approved(club, 4)
    many, sql = queries(client, url)

    # user, membership, count, page (with its run and who decided)
    assert few == many == 4, "\n".join(sql)
