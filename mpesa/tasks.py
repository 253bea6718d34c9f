"""Thin Celery tasks: each calls one service."""

from celery import shared_task

from core.jobs import job
from mpesa.services.reconcile import mpesa_reconcile


@shared_task
@job("mpesa_reconcile")
def mpesa_reconcile_task() -> str:
    """Every few minutes: query pending prompts and unknown transfers, reprocess stuck callbacks."""
    return str(mpesa_reconcile())
