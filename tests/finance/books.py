"""Reading the books in tests: balances and an entry's legs."""

from decimal import Decimal

from django.db import connection, transaction

from finance.models import JournalEntry, LedgerAccount
from finance.services.ledger import ledger_account_get
from groups.models import Chama, Membership


def balance(chama: Chama, code: str, **owner: Membership) -> Decimal:
    """Σ debits - Σ credits of the account (its member sub-account with ``member=``)."""
    return ledger_account_get(chama=chama, code=code, **owner).cached_balance


def legs(entry: JournalEntry) -> list[tuple[str, str, Decimal]]:
    """An entry's postings as (account code, side, amount), sorted."""
    return sorted((p.account.code, p.side, p.amount) for p in entry.postings.all())


def balance_drift(chama: Chama, code: str, to: Decimal) -> None:
    """Change a balance behind the ledger's back, as only a repair session may on
    PostgreSQL (a plain UPDATE of a balance is refused there)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL hazina.ledger_repair = 'on'")
        LedgerAccount.objects.filter(chama=chama, code=code).update(cached_balance=to)
