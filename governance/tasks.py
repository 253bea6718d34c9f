"""Thin Celery tasks: each calls one service."""

from celery import shared_task

from core.jobs import job
from governance.services.votes import votes_close_due


@shared_task
@job("votes_close")
def votes_close_due_task() -> str:
    """Every five minutes: count and close the votes whose deadline has passed; re-running
    closes none twice."""
    return f"{votes_close_due()} vote(s) closed"
