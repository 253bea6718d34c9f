"""The error codes of anomaly alerts, with their messages (tests assert them exactly)."""

from core.exceptions import ErrorCode


class AnomalyError(ErrorCode):
    OFFICIALS_ONLY = (
        "permission_denied",
        "Only the chama's officials (chair, treasurer, secretary) dismiss or resolve alerts.",
    )
    NOT_OPEN = (
        "alert_not_open",
        "Only an open alert can be dismissed or resolved; this one is {status}.",
    )
    NOTE_REQUIRED = "note_required", "Say what was found: a note of at most {limit} characters."
