from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from finance import chart
from tests.finance.books import balance_drift

pytestmark = pytest.mark.django_db


def run(name):
    out = StringIO()
    call_command("run_job", name, stdout=out)
    return out.getvalue().strip()


def test_run_job_lists_the_jobs():
    out = StringIO()
    call_command("run_job", stdout=out)

    assert out.getvalue().split() == [
        "anomalies_detect",
        "contribution_reminders",
        "credit_scores_compute",
        "expense_escalation",
        "fines_issue",
        "idle_cash_scan",
        "investments_mature",
        "ledger_balance_proof",
        "loan_defaults",
        "loan_penalties",
        "loan_reminders",
        "meeting_reminders",
        "mpesa_reconcile",
        "notifications_deliver",
        "vote_reminders",
        "votes_close",
    ]


def test_the_balance_proof_job_reports_a_sound_ledger_and_a_drifted_one(chama, post_entry, caplog):
    post_entry(chama, chart.CASH, chart.WELFARE_FUND, "80.00")

    assert run("ledger_balance_proof") == "ledger_balance_proof: all balances match their postings"

    balance_drift(chama, chart.CASH, Decimal("8.00"))

    assert run("ledger_balance_proof") == "ledger_balance_proof: 1 account(s) drifted"
    assert f"chama {chama.code} account 1030" in caplog.text


def test_the_proof_is_scheduled_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["ledger-balance-proof"]

    assert entry["task"] == "finance.tasks.ledger_balance_proof_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})
