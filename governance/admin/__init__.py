"""Governance's back office: one module per area."""

from governance.admin import documents, meetings

__all__ = ["documents", "meetings"]
