"""Thin Celery tasks: each loads what it needs and calls one service."""

import logging

from celery import shared_task

from core.jobs import job
from finance.services.ledger import ledger_balance_proof

logger = logging.getLogger(__name__)


@shared_task
@job("ledger_balance_proof")
def ledger_balance_proof_task() -> str:
    """Nightly: prove every account's balance cache equals the sum of its postings."""
    drifted = ledger_balance_proof()
    for account in drifted:
        logger.error(
            "Ledger balance cache drifted: chama %s account %s (%s)",
            account.chama.code,
            account.code,
            account.pk,
        )
    return f"{len(drifted)} account(s) drifted" if drifted else "all balances match their postings"
