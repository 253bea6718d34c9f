"""Governance's back office: one module per area."""

from governance.admin import constitution, documents, meetings, votes

__all__ = ["constitution", "documents", "meetings", "votes"]
