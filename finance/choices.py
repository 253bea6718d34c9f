from django.db import models


class AccountType(models.TextChoices):
    ASSET = "asset", "Asset"
    LIABILITY = "liability", "Liability"
    EQUITY = "equity", "Equity"
    INCOME = "income", "Income"
    EXPENSE = "expense", "Expense"


# Assets and expenses grow with debits; liabilities, equity and income with credits.
DEBIT_NORMAL_TYPES = frozenset({AccountType.ASSET, AccountType.EXPENSE})


class Side(models.TextChoices):
    DEBIT = "D", "Debit"
    CREDIT = "C", "Credit"


class BalanceRule(models.TextChoices):
    """Which way an account's balance may never cross zero (TigerBeetle's account flags).

    Money the chama holds and what it owes never go below zero in their normal direction;
    income, expenses and the surplus carry no rule (a reversal may debit income)."""

    NONE = "none", "No rule"
    CREDITS_MUST_NOT_EXCEED_DEBITS = "credits_le_debits", "Credits must not exceed debits"
    DEBITS_MUST_NOT_EXCEED_CREDITS = "debits_le_credits", "Debits must not exceed credits"


class AccountScope(models.TextChoices):
    """Whether an account code has one account per chama, per member (-M) or per round (-R)."""

    CHAMA = "chama", "One per chama"
    MEMBER = "member", "One per member"
    ROUND = "round", "One per round"


class EntryType(models.TextChoices):
    CONTRIBUTION = "contribution", "Contribution"
    CREDIT_APPLIED = "credit_applied", "Member credit applied to dues"
    PAYOUT = "payout", "Pot payout"
    PAYOUT_REQUESTED = "payout_requested", "Pot payout sent (in flight)"
    PAYOUT_COMPLETED = "payout_completed", "Pot payout completed"
    PAYOUT_FAILED = "payout_failed", "Pot payout failed"
    WELFARE_PAYOUT = "welfare_payout", "Welfare payout"
    WELFARE_IN_FLIGHT = "welfare_in_flight", "Welfare payout sent (in flight)"
    WELFARE_FAILED = "welfare_failed", "Welfare payout failed"
    SUSPENSE = "suspense", "Unidentified receipt"
    LOAN_DISBURSEMENT = "loan_disbursement", "Loan disbursed"
    LOAN_IN_FLIGHT = "loan_in_flight", "Loan sent (in flight)"
    LOAN_FAILED = "loan_failed", "Loan disbursement failed"
    LOAN_REPAYMENT = "loan_repayment", "Loan repayment"
    LOAN_PENALTY = "loan_penalty", "Late-installment penalty"
    GUARANTOR_RECOVERY = "guarantor_recovery", "Loan recovered from guarantors"
    LOAN_WRITE_OFF = "loan_write_off", "Loan written off"
    REVERSAL = "reversal", "Reversal"
    TRANSFER = "transfer", "Transfer between accounts"
    FINE = "fine", "Fine issued"
    FINE_PAYMENT = "fine_payment", "Fine paid"
    FINE_WAIVER = "fine_waiver", "Fine waived"
    EXPENSE_APPROVED = "expense_approved", "Expense approved"
    EXPENSE_PAID = "expense_paid", "Expense paid"
    INVESTMENT_PLACED = "investment_placed", "Investment placed"
    INVESTMENT_IN_FLIGHT = "investment_in_flight", "Investment sent (in flight)"
    INVESTMENT_FAILED = "investment_failed", "Investment placement failed"
    INVESTMENT_INCOME = "investment_income", "Investment income credited"
    INVESTMENT_MATURED = "investment_matured", "Investment matured"
    PROFIT_CLOSED = "profit_closed", "Investment income closed to surplus"
    PROFIT_DECLARED = "profit_declared", "Profit declared to members"
    PROFIT_PAID = "profit_paid", "Profit paid out"
    PROFIT_TO_SAVINGS = "profit_to_savings", "Profit added to savings"


class PaymentMethod(models.TextChoices):
    MPESA = "mpesa", "M-Pesa"
    BANK = "bank", "Bank"
    CASH = "cash", "Cash"
    CARD = "card", "Card"


class CycleStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"


class RoundStatus(models.TextChoices):
    OPEN = "open", "Collecting"
    PAYOUT_PENDING = "payout_pending", "Payout awaiting approval or confirmation"
    PAID = "paid", "Paid out"


class DueStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PARTIAL = "partial", "Partly paid"
    PAID = "paid", "Paid"
    WAIVED = "waived", "Waived"


SETTLED_DUE_STATUSES = frozenset({DueStatus.PAID, DueStatus.WAIVED})


class ContributionStatus(models.TextChoices):
    PENDING = "pending", "Pending confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    FAILED = "failed", "Failed"
    REVERSED = "reversed", "Reversed"


class PayoutStatus(models.TextChoices):
    REQUESTED = "requested", "Requested, awaiting approval"
    IN_FLIGHT = "in_flight", "Sent, awaiting M-Pesa's result"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    REJECTED = "rejected", "Rejected"


# A round has at most one primary payout in these states: its pot is paid out once, and what
# reaches it later leaves by top-ups.
LIVE_PAYOUT_STATUSES = (PayoutStatus.REQUESTED, PayoutStatus.IN_FLIGHT, PayoutStatus.COMPLETED)


class PayoutKind(models.TextChoices):
    PRIMARY = "primary", "Pot payout"
    TOP_UP = "top_up", "Top-up of a paid pot"


class PayoutMethod(models.TextChoices):
    MPESA = "mpesa", "M-Pesa (B2C)"
    BANK = "bank", "Bank transfer"
    CASH = "cash", "Cash"


class WelfareClaimType(models.TextChoices):
    BEREAVEMENT = "bereavement", "Bereavement"
    HOSPITAL = "hospital", "Hospital bill"
    EMERGENCY = "emergency", "Emergency"


class WelfareClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    IN_FLIGHT = "in_flight", "Sent, awaiting M-Pesa's result"
    PAID = "paid", "Paid"


# Claims the fund granted: what the welfare forecast learns from (finance.welfare_forecast).
GRANTED_WELFARE_CLAIM_STATUSES = [
    WelfareClaimStatus.APPROVED,
    WelfareClaimStatus.IN_FLIGHT,
    WelfareClaimStatus.PAID,
]


class WelfareForecastSource(models.TextChoices):
    """Where a welfare buffer came from: the claim history's forecast, the constitution's
    welfare buffer when the history is too thin, or neither (no constitution adopted)."""

    HISTORY = "history", "Forecast from the claim history"
    CONSTITUTION = "constitution", "The constitution's welfare buffer"
    NONE = "none", "No history and no constitution"


class WelfareForecastReason(models.TextChoices):
    """Why the history is too thin to forecast from."""

    HISTORY_TOO_SHORT = "history_too_short", "Less than six months of history"
    TOO_FEW_CLAIMS = "too_few_claims", "Fewer than three granted claims"


# What an official may record by hand: M-Pesa confirms itself, cash and bank may wait.
RECORDABLE_CONTRIBUTION_STATUSES = [
    (ContributionStatus.PENDING.value, ContributionStatus.PENDING.label),
    (ContributionStatus.CONFIRMED.value, ContributionStatus.CONFIRMED.label),
]


class InterestMethod(models.TextChoices):
    FLAT = "flat", "Flat rate"
    REDUCING_BALANCE = "reducing_balance", "Reducing balance (equal installments)"
    EQUAL_PRINCIPAL = "equal_principal", "Reducing balance (equal principal)"


class RatePeriod(models.TextChoices):
    MONTH = "month", "Per month"
    YEAR = "year", "Per year"


class PenaltyType(models.TextChoices):
    FLAT = "flat", "Flat amount per period"
    PERCENT = "percent", "Percent of the overdue installment per period"


class EarlyRepayment(models.TextChoices):
    """What a loan paid off before its last due date owes in interest (loan_math.loan_payoff).
    Each rule works for every method; the labels say where chamas usually use it."""

    INTEREST_TO_DATE = "interest_to_date", "Interest to the payoff date (reducing balance)"
    FULL_INTEREST = "full_interest", "All the scheduled interest (flat)"
    REBATE = "rebate", "Scheduled interest less a rebate on what is not yet due (flat)"


class LoanStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    DISBURSED = "disbursed", "Disbursed"
    ACTIVE = "active", "Active"
    REPAID = "repaid", "Repaid"
    DEFAULTED = "defaulted", "Defaulted"
    WRITTEN_OFF = "written_off", "Written off"


# A member has at most one loan in these states per chama (a partial unique index).
LIVE_LOAN_STATUSES = (
    LoanStatus.APPLIED,
    LoanStatus.APPROVED,
    LoanStatus.DISBURSED,
    LoanStatus.ACTIVE,
)


class GuaranteeStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the guarantor"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class InstallmentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PARTIAL = "partial", "Partly paid"
    PAID = "paid", "Paid"


# A loan in these states takes repayments and has a payoff amount.
REPAYING_LOAN_STATUSES = (LoanStatus.ACTIVE, LoanStatus.DEFAULTED)
# A written-off loan still takes what the borrower pays: it refunds the guarantors, then is
# bad debts recovered.
PAYABLE_LOAN_STATUSES = (*REPAYING_LOAN_STATUSES, LoanStatus.WRITTEN_OFF)


class SuspenseStatus(models.TextChoices):
    OPEN = "open", "Open, awaiting assignment"
    ASSIGNED = "assigned", "Assigned to a member"


class SuspensePurpose(models.TextChoices):
    """What an unidentified receipt becomes once an official knows whose it is."""

    CONTRIBUTION = "contribution", "Contribution"
    LOAN_REPAYMENT = "loan_repayment", "Loan repayment"


class TransferAccount(models.TextChoices):
    """The accounts holding the chama's money, between which a ledger transfer moves it
    (finance.chart.TRANSFER_ACCOUNT_CODES gives each one's code)."""

    PAYBILL = "paybill", "M-Pesa paybill (1010)"
    BANK = "bank", "Bank account (1020)"
    CASH = "cash", "Cash at hand (1030)"


class LedgerTransferStatus(models.TextChoices):
    REQUESTED = "requested", "Requested, awaiting approval"
    COMPLETED = "completed", "Completed"
    REJECTED = "rejected", "Rejected"


class FineKind(models.TextChoices):
    """Why a member is fined: by an official's hand, or by one of the constitution's rules
    (issued by the daily job, once per member, rule and period)."""

    MANUAL = "manual", "Issued by an official"
    LATE_CONTRIBUTION = "late_contribution", "Late contribution"
    MISSED_MEETING = "missed_meeting", "Missed meeting"
    LATENESS = "lateness", "Late to a meeting"


class FineStatus(models.TextChoices):
    ISSUED = "issued", "Issued, unpaid"
    PARTIAL = "partial", "Partly paid"
    PAID = "paid", "Paid"
    WAIVED = "waived", "Waived (what was unpaid)"


# A fine in these states still has something to pay.
UNPAID_FINE_STATUSES = (FineStatus.ISSUED, FineStatus.PARTIAL)


class FinePaymentMethod(models.TextChoices):
    """How a fine is paid: money arriving (as a contribution arrives), or the member's own
    savings with their consent."""

    MPESA = "mpesa", "M-Pesa"
    BANK = "bank", "Bank"
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    SAVINGS = "savings", "From the member's savings"
