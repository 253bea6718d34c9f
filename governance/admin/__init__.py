"""Governance's back office: one module per area."""

from governance.admin import (
    anomalies,
    constitution,
    documents,
    expenses,
    fines,
    meetings,
    votes,
)

__all__ = ["anomalies", "constitution", "documents", "expenses", "fines", "meetings", "votes"]
