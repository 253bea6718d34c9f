"""Investments' models: one module per area, re-exported here."""

from investments.models.profits import (
    ProfitDeclaration,
    ProfitShare,
    ShareChoice,
    ShareStatus,
)

__all__ = [
    "ProfitDeclaration",
    "ProfitShare",
    "ShareChoice",
    "ShareStatus",
]
