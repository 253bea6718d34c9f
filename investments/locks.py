"""Every row lock investments takes (select_for_update), in one place.

Order: a proposal (executing it places its holding); holdings by pk (a maturity run locks
all it matures in pk order, so two runs queue instead of deadlocking); finance's ledger
accounts last, through its ledger writer.
"""

from collections.abc import Iterable
from uuid import UUID

from investments.models import Holding, InvestmentProposal


def holding_lock(holding_id: UUID) -> Holding:
    """The holding, locked: it matures, is credited or settled one writer at a time."""
    return (
        Holding.objects.select_for_update(of=("self",))
        .select_related("chama", "option", "ledger_account")
        .get(pk=holding_id)
    )


def holdings_lock(holding_ids: Iterable[UUID], *, status: str) -> list[Holding]:
    """The holdings of ``holding_ids`` still in ``status``, locked in pk order. A holding
    another transaction moved on while this one waited is not returned (PostgreSQL re-checks
    the condition on the row it waited for)."""
    return list(
        Holding.objects.select_for_update(of=("self",))
        .filter(pk__in=list(holding_ids), status=status)
        .select_related("chama", "option", "ledger_account")
        .order_by("pk")
    )


def proposal_lock(proposal_id: UUID) -> InvestmentProposal:
    """The proposal, locked: it is decided and executed one writer at a time (taken before
    the holding it becomes and the ledger's accounts)."""
    return (
        InvestmentProposal.objects.select_for_update(of=("self",))
        .select_related("chama", "option", "created_by")
        .get(pk=proposal_id)
    )
