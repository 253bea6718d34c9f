"""The result of a vote from its tallies, as literal cases (the issue's arithmetic)."""

from decimal import Decimal

import pytest

from governance.models import VoteKind, VoteResult
from governance.vote_math import vote_decide

SIMPLE, TWO_THIRDS, UNANIMOUS = VoteKind.SIMPLE, VoteKind.TWO_THIRDS, VoteKind.UNANIMOUS
PASSED, FAILED, NO_QUORUM = VoteResult.PASSED, VoteResult.FAILED, VoteResult.NO_QUORUM


def decide(kind, yes, no, abstain=0, *, electorate=3, quorum="0.5"):
    return vote_decide(
        kind=kind,
        quorum=Decimal(quorum),
        electorate=electorate,
        yes=yes,
        no=no,
        abstain=abstain,
    )


@pytest.mark.parametrize(
    ("kind", "yes", "no", "expected"),
    [
        # 1 yes / 1 no: neither a simple majority nor two-thirds
        (SIMPLE, 1, 1, FAILED),
        (TWO_THIRDS, 1, 1, FAILED),
        (UNANIMOUS, 1, 1, FAILED),
        # 2 yes / 0 no: everything passes
        (SIMPLE, 2, 0, PASSED),
        (TWO_THIRDS, 2, 0, PASSED),
        (UNANIMOUS, 2, 0, PASSED),
        # 2 yes / 1 no: a majority and exactly two-thirds, not unanimous
        (SIMPLE, 2, 1, PASSED),
        (TWO_THIRDS, 2, 1, PASSED),
        (UNANIMOUS, 2, 1, FAILED),
    ],
)
def test_the_issues_tallies(kind, yes, no, expected):
    assert decide(kind, yes, no) == expected


@pytest.mark.parametrize("kind", [SIMPLE, TWO_THIRDS, UNANIMOUS])
def test_without_quorum_there_is_no_decision(kind):
    # 10 members, a 70% quorum: 6 yes is short of the 7 ballots needed, 7 is enough.
    assert decide(kind, 6, 0, electorate=10, quorum="0.7") == NO_QUORUM
    assert decide(kind, 7, 0, electorate=10, quorum="0.7") == PASSED
    assert decide(kind, 0, 0, electorate=1, quorum="0.001") == NO_QUORUM


def test_abstentions_count_for_quorum_but_not_for_the_majority():
    # 4 of 10 voted, a 40% quorum: met thanks to the two who abstained
    assert decide(SIMPLE, 2, 0, 2, electorate=10, quorum="0.4") == PASSED
    assert decide(SIMPLE, 1, 1, 2, electorate=10, quorum="0.4") == FAILED
    assert decide(UNANIMOUS, 1, 0, 3, electorate=4, quorum="1") == PASSED
    # everyone abstained: nobody said yes, so nothing passes
    assert decide(SIMPLE, 0, 0, 3) == FAILED
    assert decide(TWO_THIRDS, 0, 0, 3) == FAILED
    assert decide(UNANIMOUS, 0, 0, 3) == FAILED


def test_two_thirds_is_at_least_two_thirds_and_simple_is_more_than_half():
    assert decide(TWO_THIRDS, 6, 3, electorate=9) == PASSED  # exactly 2/3
    assert decide(TWO_THIRDS, 5, 3, electorate=9) == FAILED  # 62.5%
    assert decide(SIMPLE, 3, 3, electorate=9) == FAILED  # exactly half
    assert decide(SIMPLE, 4, 3, electorate=9) == PASSED
