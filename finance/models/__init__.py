from finance.models.contributions import Contribution, DueAllocation
from finance.models.cycles import Cycle, Due, Round
from finance.models.fines import Fine, FineAllocation, FinePayment
from finance.models.ledger import JournalEntry, LedgerAccount, Posting
from finance.models.loan_policy import LoanPolicy
from finance.models.loans import (
    Guarantee,
    Installment,
    Loan,
    LoanPenalty,
    LoanRepayment,
    RepaymentAllocation,
)
from finance.models.payouts import Payout
from finance.models.suspense import SuspenseReceipt
from finance.models.transfers import LedgerTransfer
from finance.models.welfare import WelfareClaim, WelfarePolicy

__all__ = [
    "Contribution",
    "Cycle",
    "Due",
    "DueAllocation",
    "Fine",
    "FineAllocation",
    "FinePayment",
    "Guarantee",
    "Installment",
    "JournalEntry",
    "LedgerAccount",
    "LedgerTransfer",
    "Loan",
    "LoanPenalty",
    "LoanPolicy",
    "LoanRepayment",
    "Payout",
    "Posting",
    "RepaymentAllocation",
    "Round",
    "SuspenseReceipt",
    "WelfareClaim",
    "WelfarePolicy",
]
