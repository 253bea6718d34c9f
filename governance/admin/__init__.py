"""Governance's back office: one module per area."""

from governance.admin import constitution, documents, expenses, fines, meetings, votes

__all__ = ["constitution", "documents", "expenses", "fines", "meetings", "votes"]
