"""Thin Celery tasks: each calls one service."""

from core.jobs import job_task
from mpesa.services.reconcile import mpesa_reconcile


# Every five minutes: done well inside the interval, so runs never overlap.
@job_task("mpesa_reconcile", soft_time_limit=240, time_limit=270)
def mpesa_reconcile_task() -> str:
    """Every few minutes: query pending prompts and unknown transfers, reprocess stuck callbacks."""
    return str(mpesa_reconcile())
