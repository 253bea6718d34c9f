"""Governance's error codes: one enum per area, each in its own module (issue 13's contract)."""

from governance.exceptions.fines import FinesApiError

__all__ = ["FinesApiError"]
