"""The error codes of chamas and memberships, with their messages."""

from core.exceptions import ErrorCode


class GroupsError(ErrorCode):
    SPLIT_MISMATCH = (
        "split_mismatch",
        "The rotation, savings and welfare amounts must add up to the contribution amount.",
    )
    CODE_TAKEN = "code_taken", "Another chama already uses this code."
    INVALID_CODE = "invalid_code", "Use three capital letters and three digits, e.g. UMJ001."
    MEMBER_LIMIT_REACHED = (
        "member_limit_reached",
        "The free plan allows {limit} active members. Upgrade to premium to add more.",
    )
    UNKNOWN_MEMBER = "unknown_member", "No such member in this chama."
    ALREADY_MEMBER = "already_member", "This person is already a member of the chama."
    SEAT_TAKEN = "seat_taken", "Seat {seat} is already taken by another active member."
    CHAIR_ONLY = "chair_only", "Only the chair can appoint or change officials."
    LAST_CHAIR = "last_chair", "The chama must keep an active chair: appoint another chair first."
    INVALID_CREDIT_SCORE = (
        "invalid_credit_score",
        "A credit score is a whole number from 0 to 100, or none; got {score!r}.",
    )
    UNKNOWN_MEETING_RULE = (
        "unknown_meeting_rule",
        'Unknown meeting day {text!r}. Use a weekday ("Saturday", "every Friday"), a weekday '
        'of the month ("first", "second", "third", "fourth" or "last Saturday") or a day '
        'of the month ("the 5th"); in Kiswahili too ("kila Ijumaa", "Jumamosi ya mwisho", '
        '"tarehe 5").',
    )
    MEETING_RULE_FREQUENCY = (
        "meeting_rule_frequency",
        "A chama meeting once a month ({rule}) needs a monthly or quarterly cycle, "
        "not {frequency}.",
    )
    CONSTITUTION_OWNED = (
        "constitution_owned",
        "The chama's constitution sets {fields}: adopt a new version of it "
        "(PUT chamas/{{id}}/constitution/) to change them.",
    )
    ALREADY_SIGNED = (
        "already_signed",
        "You have already signed this {kind}: an official signs a decision once.",
    )
    INVALID_APPROVAL_RULE = (
        "invalid_approval_rule",
        "The approval rule for {kind} must name a kind (expense, payout, loan, welfare or "
        "transfer), a number of signatures from 1 to 20 and a chair threshold that is an "
        "amount or null.",
    )
    # DRF's own code for a refused permission, with the reason a chama's member reads.
    ROLE_DENIED = "permission_denied", "Your role in this chama does not allow this action."
