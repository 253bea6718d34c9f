"""Governance's back office, one module per area."""

from governance.admin import fines

__all__ = ["fines"]
