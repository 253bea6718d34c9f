"""Investments' back office: one module per area."""

from investments.admin import goals, holdings, profits

__all__ = ["goals", "holdings", "profits"]
