"""Real threads on PostgreSQL: one ballot per member however many requests race."""

import pytest

from core.exceptions import ConflictError
from governance.models import Ballot, Vote, VoteParticipation
from governance.services.ballots import ballot_cast
from tests.concurrency import run_concurrently
from tests.governance.votes_fixtures import make_board, open_vote

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_ballots_of_one_member_make_one():
    board = make_board()
    vote = open_vote(board)

    results = run_concurrently(
        lambda: ballot_cast(vote=vote, acting=board.member, choice="yes"), 20
    )

    cast = [r for r in results if isinstance(r, Vote)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(cast) == 1, results
    assert len(refused) == 19
    assert {e.code for e in refused} == {"already_voted"}
    assert VoteParticipation.objects.count() == 1
    assert Ballot.objects.count() == 1


def test_twenty_members_voting_at_once_each_count_once():
    board = make_board(others=16)
    vote = open_vote(board)
    voters = iter(board.voters)  # 20 members who can vote

    results = run_concurrently(lambda: ballot_cast(vote=vote, acting=next(voters), choice="no"), 20)

    assert all(isinstance(r, Vote) for r in results), results
    assert VoteParticipation.objects.count() == Ballot.objects.count() == 20
