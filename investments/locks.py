"""Every row lock investments takes (select_for_update), in one place.

Order: a proposal (executing it places its holding); holdings by pk (a maturity run locks
all it matures in pk order, so two runs queue instead of deadlocking); the chama
(groups.locks: a declaration takes it so that two declarations never both spend the same
undeclared income — the maturity job declares while it holds the holdings); a declaration,
then its shares in pk order (a choice and a settlement take the declaration's, so a share is
settled once); finance's ledger accounts last, through its ledger writer.

A holding's 1200 account is read in a statement of its own after the lock is held: a row
joined to the locked one would be read as of the snapshot taken before the wait, and its
balance could be one another transaction has since moved.
"""

from collections.abc import Iterable
from uuid import UUID

from finance.models import LedgerAccount
from investments.models import Holding, InvestmentProposal, ProfitDeclaration, ProfitShare


def _with_accounts(holdings: list[Holding]) -> list[Holding]:
    accounts = LedgerAccount.objects.in_bulk([h.ledger_account_id for h in holdings])
    for holding in holdings:
        holding.ledger_account = accounts[holding.ledger_account_id]
    return holdings


def holding_lock(holding_id: UUID) -> Holding:
    """The holding, locked: it matures, is credited or settled one writer at a time."""
    holding = (
        Holding.objects.select_for_update(of=("self",))
        .select_related("chama", "option")
        .get(pk=holding_id)
    )
    return _with_accounts([holding])[0]


def holdings_lock(holding_ids: Iterable[UUID], *, status: str) -> list[Holding]:
    """The holdings of ``holding_ids`` still in ``status``, locked in pk order. A holding
    another transaction moved on while this one waited is not returned (PostgreSQL re-checks
    the condition on the row it waited for)."""
    holdings = list(
        Holding.objects.select_for_update(of=("self",))
        .filter(pk__in=list(holding_ids), status=status)
        .select_related("chama", "option")
        .order_by("pk")
    )
    return _with_accounts(holdings)


def proposal_lock(proposal_id: UUID) -> InvestmentProposal:
    """The proposal, locked: it is decided and executed one writer at a time (taken before
    the holding it becomes and the ledger's accounts)."""
    return (
        InvestmentProposal.objects.select_for_update(of=("self",))
        .select_related("chama", "option", "created_by")
        .get(pk=proposal_id)
    )


def profit_declaration_lock(declaration_id: UUID) -> ProfitDeclaration:
    return (
        ProfitDeclaration.objects.select_for_update(of=("self",), no_key=True)
        .select_related("chama")
        .get(pk=declaration_id)
    )


def profit_shares_lock(declaration_id: UUID) -> list[ProfitShare]:
    """A declaration's shares, locked in pk order, with their members."""
    return list(
        ProfitShare.objects.select_for_update(of=("self",))
        .filter(declaration_id=declaration_id)
        .select_related("membership")
        .order_by("pk")
    )


def profit_share_lock(share_id: UUID) -> ProfitShare:
    return (
        ProfitShare.objects.select_for_update(of=("self",))
        .select_related("membership")
        .get(pk=share_id)
    )
