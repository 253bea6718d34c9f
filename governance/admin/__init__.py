"""Governance's back office: one module per area."""

from governance.admin import constitution, documents, expenses, meetings, votes

__all__ = ["constitution", "documents", "expenses", "meetings", "votes"]
