"""Governance's error codes: one enum per area, in a module per area, re-exported here."""

from governance.exceptions.anomalies import AnomalyError
from governance.exceptions.constitution import ConstitutionError
from governance.exceptions.documents import DocumentError
from governance.exceptions.expenses import ExpenseError
from governance.exceptions.fines import FinesApiError
from governance.exceptions.meetings import MeetingError
from governance.exceptions.votes import VoteError

__all__ = [
    "AnomalyError",
    "ConstitutionError",
    "DocumentError",
    "ExpenseError",
    "FinesApiError",
    "MeetingError",
    "VoteError",
]
