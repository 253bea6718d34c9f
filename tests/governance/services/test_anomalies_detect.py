"""The nightly anomaly detection on generated histories: an ordinary year raises nothing, an
injected outlier is found and explained, a short history is skipped with its reason, and the
same night run twice changes nothing."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Notification
from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from governance.models import AlertStatus, AnomalyAlert, AnomalyDetector, AnomalyRun
from governance.services.anomalies import anomalies_detect
from tests.governance.anomaly_fixtures import (
    NIGHT,
    contributions_generate,
    expense_add,
    expenses_generate,
)
from tests.governance.meetings_fixtures import make_club

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    return make_club()


def test_an_ordinary_year_of_expenses_raises_no_alert(club):
    expenses_generate(club.chama, [club.treasurer, club.secretary])

    (run,) = anomalies_detect(now=NIGHT)

    assert run.day.isoformat() == "2026-12-08"
    assert run.outcome["expenses"] == {"status": "fitted", "rows": 200}
    assert run.alerts_raised == 0
    assert not AnomalyAlert.objects.exists()


def test_an_expense_fifty_times_the_usual_at_three_to_a_new_payee_is_found_and_explained(club):
    expenses_generate(club.chama, [club.treasurer, club.secretary])
    odd = expense_add(
        club.chama,
        club.treasurer,
        amount="90000.00",
        payee="Quick Cash Ventures",
        at=NIGHT - timedelta(days=1, hours=23),  # 6 December, 03:00
    )

    (run,) = anomalies_detect(now=NIGHT)

    (alert,) = AnomalyAlert.objects.all()
    assert (alert.detector, alert.target_kind, alert.target_id) == (
        AnomalyDetector.EXPENSE_MODEL,
        "expense",
        odd.pk,
    )
    assert (run.alerts_raised, alert.run, alert.status) == (1, run, AlertStatus.OPEN)
    assert alert.severity == Decimal("0.843")  # fixed random_state: the same every run
    assert alert.reasons == [
        "amount 52x the creator's median (KES 1,730.00)",
        "amount KES 90,000.00 against this chama's median expense of KES 1,802.00",
        "payee 'Quick Cash Ventures' never paid before",
        "at 03:00, while this chama's expenses are usually between 09:00 and 19:00",
    ]
    assert alert.suggested_action == (
        "Check the receipt and the payee with the treasurer before the expense is paid."
    )


def test_too_little_history_is_skipped_with_the_reason(club):
    expenses_generate(club.chama, [club.treasurer], n=29)

    (run,) = anomalies_detect(now=NIGHT)

    assert run.outcome == {
        "expenses": {
            "status": "skipped",
            "rows": 29,
            "reason": "29 expenses in the history; the model needs at least 30.",
        },
        "contributions": {
            "status": "skipped",
            "rows": 0,
            "reason": "0 contributions in the history; the model needs at least 30.",
        },
        "repayments": {
            "status": "skipped",
            "rows": 0,
            "reason": "0 loan repayments in the history; the model needs at least 30.",
        },
    }
    assert run.alerts_raised == 0


def test_a_contribution_far_from_the_members_usual_is_found(club):
    members = [club.member, club.chair, club.secretary]
    contributions_generate(club.chama, members)
    odd = contribution_record(
        chama=club.chama,
        membership=club.member,
        amount=Decimal("48000.00"),
        method=PaymentMethod.CASH,
        paid_at=NIGHT - timedelta(days=2, hours=-1),  # 6 December, 03:00
    )

    (run,) = anomalies_detect(now=NIGHT)

    assert run.outcome["contributions"] == {"status": "fitted", "rows": 61}
    (alert,) = AnomalyAlert.objects.all()
    assert (alert.detector, alert.target_id) == (AnomalyDetector.CONTRIBUTION_MODEL, odd.pk)
    assert "amount 48x the member's median (KES 1,000.00)" in alert.reasons
    assert "paid by cash, which the member used for 1 of 21 contributions" in alert.reasons


def test_the_same_night_twice_creates_nothing_new_and_the_next_night_repeats_no_alert(club):
    expenses_generate(club.chama, [club.treasurer, club.secretary])
    expense_add(
        club.chama,
        club.treasurer,
        amount="90000.00",
        payee="Quick Cash",
        at=NIGHT - timedelta(hours=23),
    )
    assert len(anomalies_detect(now=NIGHT)) == 1

    assert anomalies_detect(now=NIGHT + timedelta(hours=1)) == []
    assert (AnomalyRun.objects.count(), AnomalyAlert.objects.count()) == (1, 1)

    (tomorrow,) = anomalies_detect(now=NIGHT + timedelta(days=1))
    assert tomorrow.alerts_raised == 0
    assert (AnomalyRun.objects.count(), AnomalyAlert.objects.count()) == (2, 1)


@pytest.mark.parametrize("chamas", [1, 4])
def test_the_job_runs_in_a_constant_number_of_queries_however_many_chamas(
    chamas, django_assert_num_queries
):
    clubs = [make_club(name=f"Club {i}") for i in range(chamas)]
    for i, club in enumerate(clubs):
        expenses_generate(club.chama, [club.treasurer], n=40, seed=i)
        expense_add(club.chama, club.treasurer, amount="90000.00", payee="Quick Cash", at=NIGHT)

    # The due chamas; their expenses, contributions, repayments, expense approvals, payouts
    # and payout-phone changes; the alerts already raised; a savepoint, the runs and the
    # alerts inserted in bulk, the savepoint released: twelve, for one chama or four.
    with django_assert_num_queries(12):
        runs = anomalies_detect(now=NIGHT)

    assert len(runs) == chamas
    assert AnomalyAlert.objects.filter(detector=AnomalyDetector.EXPENSE_MODEL).count() == chamas


def run_job() -> str:
    out = StringIO()
    call_command("run_job", "anomalies_detect", stdout=out)
    return out.getvalue().strip()


def test_run_job_on_the_night_then_again_changes_nothing(club):
    expenses_generate(club.chama, [club.treasurer, club.secretary])
    expense_add(club.chama, club.treasurer, amount="90000.00", payee="Quick Cash", at=NIGHT)

    with time_machine.travel(NIGHT, tick=False):
        outputs = [run_job(), run_job()]

    assert outputs == [
        "anomalies_detect: 1 chama(s) checked, 1 alert(s) raised",
        "anomalies_detect: 0 chama(s) checked, 0 alert(s) raised",
    ]
    assert (AnomalyRun.objects.count(), AnomalyAlert.objects.count()) == (1, 1)


def test_the_chair_and_the_treasurer_are_told_once_after_commit(
    club, django_capture_on_commit_callbacks
):
    expenses_generate(club.chama, [club.treasurer, club.secretary])
    expense_add(club.chama, club.treasurer, amount="90000.00", payee="Quick Cash", at=NIGHT)

    with django_capture_on_commit_callbacks(execute=True):
        anomalies_detect(now=NIGHT)
    with django_capture_on_commit_callbacks(execute=True):
        anomalies_detect(now=NIGHT + timedelta(minutes=5))

    told = Notification.objects.filter(event="anomaly_alert")
    assert sorted(n.user_id for n in told) == sorted([club.chair.user_id, club.treasurer.user_id])
    assert {(n.title, n.body) for n in told} == {
        (
            "Unusual activity in Umoja Group",
            "Umoja Group: Unusual expense (model): amount 52x the creator's median "
            "(KES 1,730.00). Suggested: Check the receipt and the payee with the treasurer "
            "before the expense is paid.",
        )
    }
