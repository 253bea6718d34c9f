"""The investment events members are told about, after commit: a proposal, a maturity, and
each member's share of a profit."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from groups.notifications import amount_text, notify_after_commit
from investments.models import Holding, InvestmentOption, InvestmentProposal, ProfitShare


def _option_name(option_id: UUID) -> str:
    return str(InvestmentOption.objects.values_list("name", flat=True).get(pk=option_id))


def investment_proposal(proposal: InvestmentProposal) -> None:
    option_id, amount = proposal.option_id, proposal.amount

    def context() -> dict[str, Any]:
        return {"option": _option_name(option_id), "amount": amount_text(amount)}

    notify_after_commit(
        event="investment_proposal",
        chama_id=proposal.chama_id,
        everyone=True,
        context=context,
        key=f"investment_proposal:{proposal.pk}",
    )


def investment_matured(holding: Holding, proceeds: Decimal, on: date) -> None:
    option_id = holding.option_id

    def context() -> dict[str, Any]:
        return {
            "option": _option_name(option_id),
            "amount": amount_text(proceeds),
            "date": on.isoformat(),
        }

    notify_after_commit(
        event="investment_matured",
        chama_id=holding.chama_id,
        everyone=True,
        context=context,
        key=f"investment_matured:{holding.pk}",
    )


def profit_earned(
    *, chama_id: UUID, declaration_id: UUID, source: str, shares: Iterable[ProfitShare]
) -> None:
    """Each member's share: one notification per distinct amount (in a chama sharing equally,
    one for everyone), each member told once per declaration."""
    by_amount: dict[Decimal, list[UUID]] = defaultdict(list)
    for share in shares:
        if share.amount > 0:
            by_amount[share.amount].append(share.membership_id)
    for amount, members in by_amount.items():
        notify_after_commit(
            event="profit_earned",
            chama_id=chama_id,
            members=members,
            context={"amount": amount_text(amount), "source": source},
            key=f"profit_earned:{declaration_id}",
        )
