"""Investment holdings' own sub-accounts of 1200, investments at cost (DESIGN §3.2).

Each holding carries its cost (and, for a money-market fund, its credited interest) in an
account of its own, so a maturity can never take more out of 1200 than its holding put in
(the account's balance rule), and the portfolio reads each holding's carrying value from
the ledger. finance never imports investments: the account names its holding by id.
"""

from uuid import UUID

from finance import chart
from finance.chart import SPECS
from finance.models import LedgerAccount
from groups.models import Chama


def ledger_holding_account_open(*, chama: Chama, holding_id: UUID, label: str) -> LedgerAccount:
    """Open the 1200 sub-account of one holding (once: a holding has one account)."""
    spec = SPECS[chart.INVESTMENTS]
    account, _ = LedgerAccount.objects.get_or_create(
        holding_id=holding_id,
        defaults={
            "chama": chama,
            "code": spec.code,
            "name": f"{spec.name} — {label}"[:120],
            "type": spec.type,
            "balance_rule": spec.balance_rule,
        },
    )
    return account
