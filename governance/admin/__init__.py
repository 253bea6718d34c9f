"""Governance's back office: one module per area."""

from governance.admin import documents, meetings, votes

__all__ = ["documents", "meetings", "votes"]
