"""Governance's back office: one module per area."""

from governance.admin import constitution, documents, fines, meetings, votes

__all__ = ["constitution", "documents", "fines", "meetings", "votes"]
