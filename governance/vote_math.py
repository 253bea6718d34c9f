"""The arithmetic of a vote's result: pure, so its tests read as literal tallies.

Quorum counts every ballot, abstentions included: a member who abstains took part. The
majorities are of the decisive ballots (yes and no): an abstention neither helps nor blocks a
motion. A motion nobody voted yes to never passes.
"""

from decimal import Decimal

from governance.models import VoteKind, VoteResult


def quorum_reached(*, quorum: Decimal, electorate: int, cast: int) -> bool:
    """At least ``quorum`` of the electorate voted (exact: 0.7 of 10 needs 7 ballots)."""
    return cast > 0 and Decimal(cast) >= quorum * electorate


def vote_decide(
    *, kind: str, quorum: Decimal, electorate: int, yes: int, no: int, abstain: int
) -> VoteResult:
    if not quorum_reached(quorum=quorum, electorate=electorate, cast=yes + no + abstain):
        return VoteResult.NO_QUORUM
    decisive = yes + no
    if kind == VoteKind.SIMPLE:
        passed = 2 * yes > decisive
    elif kind == VoteKind.TWO_THIRDS:
        passed = yes > 0 and 3 * yes >= 2 * decisive
    elif kind == VoteKind.UNANIMOUS:
        passed = yes > 0 and no == 0
    else:
        raise ValueError(f"Unknown vote kind {kind!r}")
    return VoteResult.PASSED if passed else VoteResult.FAILED
