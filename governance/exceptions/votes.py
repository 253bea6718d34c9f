"""The error codes of votes, with their messages (tests assert them exactly)."""

from core.exceptions import ErrorCode


class VoteError(ErrorCode):
    OFFICIALS_ONLY = "permission_denied", "Only an official can open a vote."
    CHAIR_ONLY = "permission_denied", "Only the chair can close a vote."
    NOT_A_VOTER = (
        "permission_denied",
        "Only members who could vote when it opened may vote (the auditor observes).",
    )
    PROXY_NOT_HELD = (
        "proxy_not_held",
        "You hold no proxy from this member for this vote.",
    )
    PROXY_SELF = "proxy_self", "A member cannot hold their own proxy."
    PROXY_EXISTS = "proxy_exists", "You have already given your proxy for this vote."
    HOLDER_NOT_A_VOTER = (
        "holder_not_a_voter",
        "A proxy can only be held by a member who can vote in this vote.",
    )
    ALREADY_VOTED = "already_voted", "This member has already voted in this vote."
    NOT_OPEN_YET = "vote_not_open", "Voting opens at {opens_at}."
    CLOSED = "vote_closed", "This vote is closed."
    DEADLINE_PASSED = "vote_closed", "Voting closed at {closes_at}."
    INVALID_CHOICE = "invalid_choice", "Choose yes, no or abstain."
    INVALID_QUORUM = (
        "invalid_quorum",
        "The quorum is a share of the members: more than 0 and at most 1 (e.g. 0.5).",
    )
    INVALID_KIND = "invalid_kind", "A vote is simple, two_thirds or unanimous."
    INVALID_WINDOW = "invalid_window", "A vote must close after it opens, and in the future."
    TITLE_REQUIRED = "title_required", "Give the motion a title."
    TEXT_TOO_LONG = "max_length", "At most {limit} characters."
    UNKNOWN_SUBJECT = "unknown_subject", "No vote outcome is registered for {subject_type}."
    SUBJECT_VOTE_OPEN = "subject_vote_open", "A vote on this {subject_type} is already open."
    NO_ELECTORATE = "no_electorate", "Nobody in the chama can vote."
