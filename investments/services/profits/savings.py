"""A member's profit added to savings: Dr 2300-M profit payable · Cr 2100-M savings."""

from decimal import Decimal
from typing import Any

from finance import chart
from finance.choices import EntryType
from finance.models import JournalEntry, LedgerAccount
from finance.services.ledger import AccountKey, credit, debit, ledger_accounts_get, ledger_post
from groups.models import Chama, Membership


def savings_credit_post(
    *,
    chama: Chama,
    parts: list[tuple[Membership, Decimal]],
    memo: str,
    idempotency_key: str,
    recorded_by: Any,
    accounts: dict[AccountKey, LedgerAccount] | None = None,
) -> JournalEntry:
    """One entry moving each member's part from profit payable to savings, inside the
    caller's durable transaction."""
    if accounts is None:
        keys: list[AccountKey] = []
        for member, _ in parts:
            keys += [(chart.PROFIT_PAYABLE, member, None), (chart.MEMBER_SAVINGS, member, None)]
        accounts = ledger_accounts_get(chama=chama, keys=keys)
    lines = []
    for member, part in parts:
        lines += [
            debit(accounts[(chart.PROFIT_PAYABLE, member, None)], part),
            credit(accounts[(chart.MEMBER_SAVINGS, member, None)], part),
        ]
    return ledger_post(
        chama=chama,
        entry_type=EntryType.PROFIT_TO_SAVINGS,
        lines=lines,
        memo=memo,
        member=parts[0][0] if len(parts) == 1 else None,
        idempotency_key=idempotency_key,
        recorded_by=recorded_by,
    )
