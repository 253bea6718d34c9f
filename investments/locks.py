"""Every row lock investments takes (select_for_update), in one place.

Order: the chama (groups.locks), then a declaration, then its shares in pk order; the ledger
accounts last (finance.locks, in pk order, and the ledger writer when it applies balances).
A declaration takes the chama's lock so that two declarations never both spend the same
undeclared income; a choice and a settlement take the declaration's, so a share is settled
once.
"""

from uuid import UUID

from investments.models import ProfitDeclaration, ProfitShare


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
