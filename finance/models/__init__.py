from finance.models.contributions import Contribution, DueAllocation
from finance.models.cycles import Cycle, Due, Round
from finance.models.ledger import JournalEntry, LedgerAccount, Posting
from finance.models.payouts import Payout
from finance.models.welfare import WelfareClaim

__all__ = [
    "Contribution",
    "Cycle",
    "Due",
    "DueAllocation",
    "JournalEntry",
    "LedgerAccount",
    "Payout",
    "Posting",
    "Round",
    "WelfareClaim",
]
