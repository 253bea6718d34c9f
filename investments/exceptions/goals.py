"""The error codes of savings goals and their simulations (tests assert the messages)."""

from core.exceptions import ErrorCode


class GoalError(ErrorCode):
    IN_PAST = "goal_in_past", "A goal's target date must be in the future."
    TOO_FAR = "goal_too_far", "A goal's target date is at most {years} years away."
    INVALID_TARGET = (
        "invalid_amount",
        "A goal's target is a positive amount with at most two decimal places, up to {maximum}.",
    )
    NAME_REQUIRED = "name_required", "Name the goal."
    FOR_SELF_ONLY = (
        "permission_denied",
        "A member sets goals for themselves; officials set them for the chama or any member.",
    )
    CHAMA_GOAL_OFFICIALS = (
        "permission_denied",
        "Only the chama's officials (chair, treasurer, secretary) set the chama's goals.",
    )
    CHAMA_GOAL_NAMES_NO_MEMBER = (
        "chama_goal_member",
        "A goal of the whole chama names no member: leave member_id out.",
    )
    UNKNOWN_OPTION = "unknown_option", "There is no active investment option with this id."
    OPTION_WITHOUT_RATES = (
        "option_without_rates",
        "This investment option has no rate yet: it cannot be simulated.",
    )
    TOO_MANY_PATHS = (
        "too_many_paths",
        "A simulation runs at most {maximum} paths.",
    )
