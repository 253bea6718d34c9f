"""Thin Celery tasks: each calls one service."""

from django.utils import timezone

from core.jobs import job_task
from governance.services.anomalies import anomalies_detect
from governance.services.credit_scores import credit_scores_compute
from governance.services.expense_disputes import expense_escalation
from governance.services.fines import fines_issue
from governance.services.reminders import (
    contribution_reminders,
    loan_reminders,
    meeting_reminders,
    vote_reminders,
)
from governance.services.votes import votes_close_due


# Every five minutes: done well inside the interval, so runs never overlap.
@job_task("votes_close", soft_time_limit=240, time_limit=270)
def votes_close_due_task() -> str:
    """Every five minutes: count and close the votes whose deadline has passed; re-running
    closes none twice."""
    return f"{votes_close_due()} vote(s) closed"


@job_task("expense_escalation")
def expense_escalation_task() -> str:
    """Hourly: take the expenses above the chair threshold left unapproved for 48 hours to
    the members' dispute vote; re-running opens none twice."""
    return f"{expense_escalation()} dispute vote(s) opened"


@job_task("fines_issue")
def fines_issue_task() -> str:
    """Daily, early morning: the constitution's rule fines (late contributions, missed
    meetings, lateness); re-running fines nobody twice for one rule and period."""
    return f"{len(fines_issue())} fine(s) issued"


# Every membership in a handful of queries, written in batches: minutes at 100,000.
@job_task("credit_scores_compute", soft_time_limit=1800, time_limit=1860)
def credit_scores_compute_task() -> str:
    """Monthly, the 1st at 03:00: every member's credit score as of today; re-running in the
    same month scores nobody again."""
    today = timezone.localdate()
    run = credit_scores_compute(as_of=today)
    if run is None:
        return f"credit scores of {today:%Y-%m} already computed"
    return f"{run.memberships} credit score(s) computed for {today:%Y-%m}"


# A forest fitted per chama with new rows (a fraction of a second each): up to an hour.
@job_task("anomalies_detect", soft_time_limit=3600, time_limit=3660)
def anomalies_detect_task() -> str:
    """Nightly: each active chama's anomaly detection (the model over its expenses,
    contributions and repayments, and the rules); re-running the same night does nothing."""
    runs = anomalies_detect()
    alerts = sum(run.alerts_raised for run in runs)
    return f"{len(runs)} chama(s) checked, {alerts} alert(s) raised"


@job_task("contribution_reminders")
def contribution_reminders_task() -> str:
    """Daily, 08:00: dues coming due within the constitution's days, and dues newly overdue;
    re-running the same day sends nothing twice."""
    return str(contribution_reminders())


@job_task("loan_reminders")
def loan_reminders_task() -> str:
    """Daily, 08:30: loan installments coming due and newly overdue, to the borrowers."""
    return str(loan_reminders())


@job_task("meeting_reminders")
def meeting_reminders_task() -> str:
    """Daily, 09:00: tomorrow's meetings, to every active member."""
    return str(meeting_reminders())


@job_task("vote_reminders")
def vote_reminders_task() -> str:
    """Hourly: votes closing within 24 hours, to the members who have not voted."""
    return str(vote_reminders())
