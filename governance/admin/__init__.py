"""Governance's back office, one module per area."""

from governance.admin import constitution

__all__ = ["constitution"]
