"""governance models, one module per area; re-exported here."""

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
    "Ballot",
    "Vote",
    "VoteChoice",
    "VoteKind",
    "VoteParticipation",
    "VoteProxy",
    "VoteResult",
    "VoteStatus",
]
