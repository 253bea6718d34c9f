from investments.models.holdings import PAYING_ACCOUNT_CODES, Holding, MmfCredit
from investments.models.options import InvestmentOption, OptionRate, TaxSetting

__all__ = [
    "PAYING_ACCOUNT_CODES",
    "Holding",
    "InvestmentOption",
    "MmfCredit",
    "OptionRate",
    "TaxSetting",
]
