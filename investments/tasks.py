"""Thin Celery tasks: each calls one service."""

from core.jobs import job_task
from investments.services.idle_cash import idle_cash_scan
from investments.services.maturity import holdings_mature_due


@job_task("idle_cash_scan")
def idle_cash_scan_task() -> str:
    """Weekly, Monday 06:00: every active chama's idle cash recorded, and a proposal for each
    premium chama with enough of it; re-running the same day writes nothing."""
    result = idle_cash_scan()
    return (
        f"{result.chamas} chama(s) scanned on {result.scanned_on}, "
        f"{result.snapshots_written} snapshot(s) written, "
        f"{result.proposals_made} proposal(s) made"
    )


@job_task("investments_mature")
def investments_mature_task() -> str:
    """Daily, early morning: mature the holdings whose term has ended and credit the funds
    their completed months; re-running matures and credits nothing twice."""
    done = holdings_mature_due()
    return (
        f"{done['matured']} holding(s) matured, {done['reinvested']} reinvested, "
        f"{done['funds_credited']} fund(s) credited"
    )
