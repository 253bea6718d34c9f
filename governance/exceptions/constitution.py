"""The error codes of the constitution, with their messages."""

from core.exceptions import ErrorCode


class ConstitutionError(ErrorCode):
    SPLIT_MISMATCH = (
        "split_mismatch",
        "The rotation, savings and welfare amounts ({parts}) must add up to the contribution "
        "amount ({amount}).",
    )
    SHARE_OUT_OF_RANGE = (
        "share_out_of_range",
        "A quorum is a share of the members above 0 and at most 1 (0.70 is 70%); got {value}.",
    )
    PERCENT_OUT_OF_RANGE = (
        "percent_out_of_range",
        "A percent fine is at most 100 (percent of the unpaid part); got {value}.",
    )
    LOAN_RATE_RANGE = (
        "loan_rate_range",
        "A loan rate range needs both its minimum and its maximum, around the rate "
        "(minimum <= rate <= maximum).",
    )
    MEETING_RULE_SHAPE = (
        "invalid_meeting_rule",
        "A weekly rule names a weekday; a monthly_weekday rule a weekday and an ordinal (1 to 4, "
        "or -1 for the last); a monthly_day rule a day_of_month (1 to 31); and nothing else. "
        'Or give the rule in words: {{"text": "Last Saturday"}}.',
    )
    CHAIR_ONLY = "chair_only", "Only the chair adopts a new version of the constitution."
    NONE_ADOPTED = (
        "no_constitution",
        "The chama has not adopted a constitution yet: there is nothing to accept.",
    )
    PROPOSAL_OPEN = (
        "constitution_proposal_open",
        "A proposed constitution is already before the members (its vote closes at "
        "{closes_at}); wait for its result before adopting or proposing another version.",
    )
    CLOSES_AT_WITHOUT_VOTE = (
        "closes_at_without_vote",
        "closes_at is the deadline of a vote: send it only with by_vote true.",
    )
    UNKNOWN_VERSION = "not_found", "The chama has no constitution version {number}."
