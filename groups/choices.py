from django.db import models


class ChamaStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    DISSOLVED = "dissolved", "Dissolved"


class Plan(models.TextChoices):
    FREE = "free", "Free (up to 10 active members)"
    PREMIUM = "premium", "Premium"


class CycleFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    BIWEEKLY = "biweekly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class Weekday(models.TextChoices):
    MONDAY = "monday", "Monday"
    TUESDAY = "tuesday", "Tuesday"
    WEDNESDAY = "wednesday", "Wednesday"
    THURSDAY = "thursday", "Thursday"
    FRIDAY = "friday", "Friday"
    SATURDAY = "saturday", "Saturday"
    SUNDAY = "sunday", "Sunday"


class Role(models.TextChoices):
    CHAIR = "chair", "Chair"
    TREASURER = "treasurer", "Treasurer"
    SECRETARY = "secretary", "Secretary"
    AUDITOR = "auditor", "Auditor"
    MEMBER = "member", "Member"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    EXITED = "exited", "Exited"


# Officials record and manage; the auditor holds an office too but only reads.
OFFICIAL_ROLES = frozenset({Role.CHAIR, Role.TREASURER, Role.SECRETARY})
OFFICE_ROLES = OFFICIAL_ROLES | {Role.AUDITOR}
# Who reconciles the books: assigns unidentified receipts, confirms and reverses payments.
RECONCILER_ROLES = frozenset({Role.CHAIR, Role.TREASURER})
ALL_ROLES = frozenset(Role)


class MeetingRuleKind(models.TextChoices):
    WEEKLY = "weekly", "Every week on a weekday"
    MONTHLY_WEEKDAY = "monthly_weekday", "A weekday of the month (first to fourth, or last)"
    MONTHLY_DAY = "monthly_day", "A day of the month"


class ApprovalKind(models.TextChoices):
    """What an official signs: the keys of ``Chama.approval_rules``."""

    EXPENSE = "expense", "Expense"
    PAYOUT = "payout", "Payout"
    LOAN = "loan", "Loan"
    WELFARE = "welfare", "Welfare claim"
    TRANSFER = "transfer", "Transfer"


class SignatureDecision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
