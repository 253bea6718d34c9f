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
    SUSPENSE = "suspense", "Unidentified receipt"
    REVERSAL = "reversal", "Reversal"


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


# A round has at most one payout in these states: its pot can only leave once.
LIVE_PAYOUT_STATUSES = (PayoutStatus.REQUESTED, PayoutStatus.IN_FLIGHT, PayoutStatus.COMPLETED)


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
    PAID = "paid", "Paid"


# What an official may record by hand: M-Pesa confirms itself, cash and bank may wait.
RECORDABLE_CONTRIBUTION_STATUSES = [
    (ContributionStatus.PENDING.value, ContributionStatus.PENDING.label),
    (ContributionStatus.CONFIRMED.value, ContributionStatus.CONFIRMED.label),
]
