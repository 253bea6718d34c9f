"""Investments' models: one module per area, re-exported here."""

from investments.models.goals import GoalStatus, SavingsGoal
from investments.models.holdings import PAYING_ACCOUNT_CODES, Holding, MmfCredit
from investments.models.idle_cash import IdleCashSnapshot
from investments.models.options import InvestmentOption, OptionRate, TaxSetting
from investments.models.profits import ProfitDeclaration, ProfitShare, ShareChoice, ShareStatus
from investments.models.proposals import (
    OPEN_PROPOSAL_STATUSES,
    InvestmentProposal,
    ProposalStatus,
)

__all__ = [
    "OPEN_PROPOSAL_STATUSES",
    "PAYING_ACCOUNT_CODES",
    "GoalStatus",
    "Holding",
    "IdleCashSnapshot",
    "InvestmentOption",
    "InvestmentProposal",
    "MmfCredit",
    "OptionRate",
    "ProfitDeclaration",
    "ProfitShare",
    "ProposalStatus",
    "SavingsGoal",
    "ShareChoice",
    "ShareStatus",
    "TaxSetting",
]
