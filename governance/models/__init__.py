"""Governance's models: one module per area, re-exported here."""

from governance.models.anomalies import (
    AlertStatus,
    AnomalyAlert,
    AnomalyDetector,
    AnomalyRun,
    AnomalyTarget,
)
from governance.models.constitution import (
    ConstitutionAcceptance,
    ConstitutionProposal,
    ConstitutionVersion,
)
from governance.models.credit_scores import CreditScoreRun
from governance.models.documents import Document, DocumentKind, DocumentVisibility
from governance.models.expenses import Expense, ExpenseCategory, ExpenseStatus
from governance.models.meetings import Attendance, AttendanceStatus, Meeting, MeetingStatus
from governance.models.votes import (
    Ballot,
    Vote,
    VoteChoice,
    VoteKind,
    VoteParticipation,
    VoteProxy,
    VoteResult,
    VoteStatus,
)

__all__ = [
    "AlertStatus",
    "AnomalyAlert",
    "AnomalyDetector",
    "AnomalyRun",
    "AnomalyTarget",
    "Attendance",
    "AttendanceStatus",
    "Ballot",
    "ConstitutionAcceptance",
    "ConstitutionProposal",
    "ConstitutionVersion",
    "CreditScoreRun",
    "Document",
    "DocumentKind",
    "DocumentVisibility",
    "Expense",
    "ExpenseCategory",
    "ExpenseStatus",
    "Meeting",
    "MeetingStatus",
    "Vote",
    "VoteChoice",
    "VoteKind",
    "VoteParticipation",
    "VoteProxy",
    "VoteResult",
    "VoteStatus",
]
