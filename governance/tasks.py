"""Thin Celery tasks: each calls one service."""

from celery import shared_task
from django.utils import timezone

from core.jobs import job
from governance.services.anomalies import anomalies_detect
from governance.services.credit_scores import credit_scores_compute
from governance.services.expense_disputes import expense_escalation
from governance.services.fines import fines_issue
from governance.services.votes import votes_close_due


@shared_task
@job("votes_close")
def votes_close_due_task() -> str:
    """Every five minutes: count and close the votes whose deadline has passed; re-running
    closes none twice."""
    return f"{votes_close_due()} vote(s) closed"


@shared_task
@job("expense_escalation")
def expense_escalation_task() -> str:
    """Hourly: take the expenses above the chair threshold left unapproved for 48 hours to
    the members' dispute vote; re-running opens none twice."""
    return f"{expense_escalation()} dispute vote(s) opened"


@shared_task
@job("fines_issue")
def fines_issue_task() -> str:
    """Daily, early morning: the constitution's rule fines (late contributions, missed
    meetings, lateness); re-running fines nobody twice for one rule and period."""
    return f"{len(fines_issue())} fine(s) issued"


@shared_task
@job("credit_scores_compute")
def credit_scores_compute_task() -> str:
    """Monthly, the 1st at 03:00: every member's credit score as of today; re-running in the
    same month scores nobody again."""
    today = timezone.localdate()
    run = credit_scores_compute(as_of=today)
    if run is None:
        return f"credit scores of {today:%Y-%m} already computed"
    return f"{run.memberships} credit score(s) computed for {today:%Y-%m}"


@shared_task
@job("anomalies_detect")
def anomalies_detect_task() -> str:
    """Nightly: each active chama's anomaly detection (the model over its expenses,
    contributions and repayments, and the rules); re-running the same night does nothing."""
    runs = anomalies_detect()
    alerts = sum(run.alerts_raised for run in runs)
    return f"{len(runs)} chama(s) checked, {alerts} alert(s) raised"
