"""Investments' error codes: one enum per area, in a module per area, re-exported here."""

from investments.exceptions.goals import GoalError

__all__ = ["GoalError"]
