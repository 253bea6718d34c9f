"""Investments' back office: one module per area."""

from investments.admin import goals

__all__ = ["goals"]
