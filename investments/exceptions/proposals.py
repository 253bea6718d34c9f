"""The error codes of proposals to invest idle cash, with their messages."""

from core.exceptions import ErrorCode


class ProposalError(ErrorCode):
    """Proposals to invest idle cash (investments.services.proposals)."""

    OFFICIALS_ONLY = (
        "permission_denied",
        "Only the chama's officials (chair, treasurer, secretary) propose, approve or reject "
        "investments.",
    )
    CHAIR_APPROVES = (
        "permission_denied",
        "This chama's constitution has the chair approve investments.",
    )
    SAME_OFFICIAL = (
        "same_official",
        "The chair proposed this investment: it needs the members' vote or another chair.",
    )
    EXCEEDS_IDLE_CASH = (
        "exceeds_idle_cash",
        "This would take {currency} {cost} of cash; the chama's idle cash is {currency} {idle}.",
    )
    PROPOSAL_OPEN = (
        "proposal_open",
        "This chama already has an open proposal: decide or execute it first.",
    )
    ALREADY_DECIDED = (
        "proposal_decided",
        "Only a proposal awaiting a decision can be approved or rejected; this one is {status}.",
    )
    VOTE_OPEN = (
        "proposal_vote_open",
        "This proposal is before the members in a vote: its result decides it.",
    )
    NOT_APPROVED = (
        "proposal_not_approved",
        "Only an approved proposal can be executed; this one is {status}.",
    )
    REASON_REQUIRED = "reason_required", "Say why the proposal is rejected."
    TEXT_TOO_LONG = "max_length", "At most {limit} characters."
