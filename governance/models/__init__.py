"""Governance's models: one module per area, re-exported here."""

from governance.models.documents import Document, DocumentKind, DocumentVisibility
from governance.models.meetings import Attendance, AttendanceStatus, Meeting, MeetingStatus

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "Document",
    "DocumentKind",
    "DocumentVisibility",
    "Meeting",
    "MeetingStatus",
]
