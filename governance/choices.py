from django.db import models


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    KISWAHILI = "sw", "Kiswahili"


class FineKind(models.TextChoices):
    FIXED = "fixed", "A fixed amount"
    PERCENT = "percent", "A percent of the unpaid part"


class FineInterval(models.TextChoices):
    ONCE = "once", "Once"
    PER_DAY = "per_day", "Every day late"
    PER_WEEK = "per_week", "Every week late"


class Majority(models.TextChoices):
    SIMPLE = "simple", "Simple majority (more than half of the ballots cast)"
    TWO_THIRDS = "two_thirds", "Two thirds of the ballots cast"
    UNANIMOUS = "unanimous", "Unanimous"


class ApprovalKind(models.TextChoices):
    EXPENSE = "expense", "Expenses"
    PAYOUT = "payout", "Payouts"
    LOAN = "loan", "Loans"
    WELFARE = "welfare", "Welfare claims"
    TRANSFER = "transfer", "Transfers between accounts"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed (the members are voting)"
    ADOPTED = "adopted", "Adopted by the members' vote"
    REJECTED = "rejected", "Rejected (the vote failed or had no quorum)"


class InvestmentApproval(models.TextChoices):
    CHAIR = "chair", "The chair approves"
    VOTE = "vote", "The members vote"


class ProfitBasis(models.TextChoices):
    SAVINGS = "savings", "Closing savings plus credit"
    CONTRIBUTION_DAYS = "contribution_days", "Contribution-days (each shilling times the days held)"


class ProfitPayout(models.TextChoices):
    PAID_OUT = "paid_out", "Paid out to the member"
    SAVINGS = "savings", "Added to the member's savings"
    MEMBER_CHOICE = "member_choice", "Each member chooses"


class MaturityAction(models.TextChoices):
    REINVEST = "reinvest", "Reinvest in the same option"
    DISTRIBUTE = "distribute", "Declare the income to members"
    KEEP = "keep", "Keep the proceeds in the bank"
