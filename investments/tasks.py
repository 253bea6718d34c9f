"""Thin Celery tasks: each calls one service."""

from celery import shared_task

from core.jobs import job
from investments.services.maturity import holdings_mature_due


@shared_task
@job("investments_mature")
def investments_mature_task() -> str:
    """Daily, early morning: mature the holdings whose term has ended and credit the funds
    their completed months; re-running matures and credits nothing twice."""
    done = holdings_mature_due()
    return (
        f"{done['matured']} holding(s) matured, {done['reinvested']} reinvested, "
        f"{done['funds_credited']} fund(s) credited"
    )
