"""Profit: declared to the members (declarations), then chosen and settled (settlements)."""

from investments.services.profits.declarations import (
    profit_declare,
    profit_declare_from_holding,
)
from investments.services.profits.settlements import profit_settle, profit_share_choose

__all__ = [
    "profit_declare",
    "profit_declare_from_holding",
    "profit_settle",
    "profit_share_choose",
]
