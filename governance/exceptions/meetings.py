"""The error codes of meetings, attendance and minutes, with their messages."""

from core.exceptions import ErrorCode


class MeetingError(ErrorCode):
    NOT_SECRETARY = (
        "permission_denied",
        "Only the secretary or the chair records a meeting's attendance and minutes.",
    )
    MINUTES_CHAIR_AMENDS = (
        "permission_denied",
        "The minutes are recorded: only the chair may amend them.",
    )
    NOT_OFFICIAL = "permission_denied", "Only the chama's officials schedule and cancel meetings."
    ENDS_BEFORE_START = "meeting_ends_before_start", "A meeting must end after it starts."
    TOO_LONG = "meeting_too_long", "A meeting lasts at most {hours} hours."
    NO_VENUE = "meeting_no_venue", "Give the meeting a place or a video link."
    INVALID_LINK = "meeting_invalid_link", "A video link is an http(s) address without spaces."
    CANCELLED = "meeting_cancelled", "This meeting was cancelled."
    NOT_SCHEDULED = (
        "meeting_not_scheduled",
        "Only a scheduled meeting can be cancelled; this one is {status}.",
    )
    EMPTY_ATTENDANCE = "attendance_empty", "List at least one member's attendance."
    DUPLICATE_MEMBER = "attendance_duplicate_member", "A member is listed more than once."
    NOT_ACTIVE_MEMBER = "unknown_member", "No such active member in this chama: {member_ids}."
    CHECK_IN_CLOSED = (
        "check_in_closed",
        "Check-in is open from {opens} to {closes} (the meeting's hours).",
    )
    ALREADY_RECORDED = (
        "attendance_already_recorded",
        "Your attendance at this meeting is already recorded as {status}.",
    )
    MINUTES_BEFORE_START = (
        "minutes_before_start",
        "Minutes can be recorded once the meeting has started.",
    )
