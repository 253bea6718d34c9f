from django.db import models


class OptionKind(models.TextChoices):
    TBILL_91 = "tbill_91", "91-day Treasury bill"
    TBILL_182 = "tbill_182", "182-day Treasury bill"
    TBILL_364 = "tbill_364", "364-day Treasury bill"
    MONEY_MARKET = "money_market", "Money-market fund"
    FIXED_DEPOSIT = "fixed_deposit", "Fixed deposit"
    BOND = "bond", "Bond"
    SACCO_DEPOSIT = "sacco_deposit", "SACCO deposit"
    OTHER = "other", "Other"


# Bought at a discount to their face value, withholding tax paid up front with the price.
TBILL_KINDS = frozenset({OptionKind.TBILL_91, OptionKind.TBILL_182, OptionKind.TBILL_364})
TBILL_TERMS = {OptionKind.TBILL_91: 91, OptionKind.TBILL_182: 182, OptionKind.TBILL_364: 364}
# Credited monthly while held, with no maturity date of their own.
ACCRUING_KINDS = frozenset({OptionKind.MONEY_MARKET})


class HoldingStatus(models.TextChoices):
    PLACING = "placing", "Sent by M-Pesa, awaiting the result"
    ACTIVE = "active", "Active"
    MATURED = "matured", "Matured"
    CLOSED = "closed", "Closed"
    FAILED = "failed", "Placement failed"


class PlacementMethod(models.TextChoices):
    MANUAL = "manual", "Recorded by hand (bank transfer, cheque, broker)"
    MPESA = "mpesa", "Sent by M-Pesa to the provider's paybill"


class DayBasis(models.IntegerChoices):
    ACTUAL_365 = 365, "Actual/365"
    ACTUAL_360 = 360, "Actual/360"
