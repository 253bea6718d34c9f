"""Reading the books in tests: balances and an entry's legs."""

from decimal import Decimal

from finance.models import JournalEntry
from finance.services.ledger import ledger_account_get
from groups.models import Chama, Membership


def balance(chama: Chama, code: str, **owner: Membership) -> Decimal:
    """Σ debits - Σ credits of the account (its member sub-account with ``member=``)."""
    return ledger_account_get(chama=chama, code=code, **owner).cached_balance


def legs(entry: JournalEntry) -> list[tuple[str, str, Decimal]]:
    """An entry's postings as (account code, side, amount), sorted."""
    return sorted((p.account.code, p.side, p.amount) for p in entry.postings.all())
