"""Thin Celery tasks: each loads what it needs and calls one service."""

import logging

from celery import shared_task
from django.db import DatabaseError

from core.jobs import job_task
from finance.gateways import PAYOUT_GATEWAYS, Transfer
from finance.services.ledger import ledger_balance_proof
from finance.services.loans import loan_defaults_run, loan_penalties_run

logger = logging.getLogger(__name__)


@job_task("ledger_balance_proof")
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


@job_task("loan_penalties")
def loan_penalties_task() -> str:
    """Daily: one penalty per overdue installment and penalty period; re-running adds none."""
    return f"{loan_penalties_run()} penalty(ies) charged"


@job_task("loan_defaults")
def loan_defaults_task() -> str:
    """Daily: loans overdue beyond the policy's days become defaulted."""
    return f"{loan_defaults_run()} loan(s) defaulted"


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def transfer_send_task(*, method: str, transfer: dict[str, str]) -> str:
    """Send money an approval put in flight. The gateway never sends one reference twice, so a
    retry or a redelivery after a crash is safe; what the provider did with a transfer whose
    answer was lost is found by the reconciliation job's status queries."""
    sent = Transfer.from_message(transfer)
    PAYOUT_GATEWAYS[method].send(sent)
    return f"{sent.kind} {sent.reference} handed to {method}"
