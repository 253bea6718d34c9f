"""Thin Celery tasks: each calls one service."""

from celery import shared_task

from core.jobs import job
from investments.services.idle_cash import idle_cash_scan


@shared_task
@job("idle_cash_scan")
def idle_cash_scan_task() -> str:
    """Weekly, Monday 06:00: every active chama's idle cash recorded, and a proposal for each
    premium chama with enough of it; re-running the same day writes nothing."""
    result = idle_cash_scan()
    return (
        f"{result.chamas} chama(s) scanned on {result.scanned_on}, "
        f"{result.snapshots_written} snapshot(s) written, "
        f"{result.proposals_made} proposal(s) made"
    )
