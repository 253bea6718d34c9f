from investments.models.goals import GoalStatus, SavingsGoal
from investments.models.holdings import PAYING_ACCOUNT_CODES, Holding, MmfCredit
from investments.models.options import InvestmentOption, OptionRate, TaxSetting

__all__ = [
    "PAYING_ACCOUNT_CODES",
    "GoalStatus",
    "Holding",
    "InvestmentOption",
    "MmfCredit",
    "OptionRate",
    "SavingsGoal",
    "TaxSetting",
]
