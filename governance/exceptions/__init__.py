"""Governance's error codes: one enum per area, in a module per area."""

from governance.exceptions.documents import DocumentError
from governance.exceptions.meetings import MeetingError

__all__ = ["DocumentError", "MeetingError"]
