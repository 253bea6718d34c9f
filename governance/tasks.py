"""Thin Celery tasks: each calls one service."""

from core.jobs import job_task
from governance.services.expense_disputes import expense_escalation
from governance.services.fines import fines_issue
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
