"""Two executions of one proposal at once, on PostgreSQL with real threads: the proposal's
row lock queues the second, which then finds it executed. One holding, one ledger entry."""

import pytest
import time_machine

from core.exceptions import ConflictError
from finance.models import JournalEntry
from investments.models import Holding, InvestmentProposal, ProposalStatus
from investments.services.idle_cash import idle_cash_scan
from investments.services.proposals import proposal_approve, proposal_execute
from tests.concurrency import run_concurrently
from tests.investments.idle_fixtures import TODAY, at, umoja_history

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_executions_at_once_place_one_holding(client_for):
    umoja = umoja_history(client_for)
    with at(TODAY):
        idle_cash_scan()
    proposal = InvestmentProposal.objects.get()
    proposal_approve(proposal=proposal, acting=umoja.chair)
    entries = JournalEntry.objects.count()

    def execute() -> InvestmentProposal:
        # The threads live on TODAY too (time_machine's travel is process-wide).
        return proposal_execute(
            proposal=proposal,
            acting=umoja.treasurer,
            paying_account_code="1030",
            method="manual",
        )

    with time_machine.travel(f"{TODAY.isoformat()} 10:00 +0300", tick=False):
        results = run_concurrently(execute, 2)

    executed = [r for r in results if isinstance(r, InvestmentProposal)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(executed) == 1, results
    assert [r.code for r in refused] == ["proposal_executed"]
    assert Holding.objects.count() == 1
    assert JournalEntry.objects.count() == entries + 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXECUTED
