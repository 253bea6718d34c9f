"""Investments' error codes: one enum per area, in a module per area, re-exported here."""

from investments.exceptions.goals import GoalError
from investments.exceptions.holdings import InvestmentError
from investments.exceptions.profits import ProfitError
from investments.exceptions.proposals import ProposalError

__all__ = ["GoalError", "InvestmentError", "ProfitError", "ProposalError"]
