"""Reads of votes cost a constant number of queries however many votes and ballots."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.services.ballots import ballot_cast
from tests.governance.votes_fixtures import make_board, open_vote

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def board():
    return make_board(others=4)


def votes_with_ballots(board, count, *, anonymous):
    made = []
    for _ in range(count):
        vote = open_vote(board, anonymous=anonymous)
        for voter in board.voters:
            ballot_cast(vote=vote, acting=voter, choice="yes")
        made.append(vote)
    return made


@pytest.mark.parametrize("anonymous", [True, False])
def test_the_list_is_constant(board, as_role, anonymous):
    client, url = as_role("member"), f"{board.base}/votes/"
    votes_with_ballots(board, 1, anonymous=anonymous)
    few, _ = queries(client, url)

    votes_with_ballots(board, 4, anonymous=anonymous)
    many, sql = queries(client, url)

    # user, membership, count, page (turnout and the caller's participation as subqueries)
    assert few == many == 4, "\n".join(sql)


def test_an_open_ballots_list_is_constant(board, as_role):
    client = as_role("auditor")
    vote = open_vote(board, anonymous=False)
    ballot_cast(vote=vote, acting=board.chair, choice="no")
    few, _ = queries(client, f"{board.base}/votes/{vote.pk}/ballots/")

    for voter in board.voters[1:]:
        ballot_cast(vote=vote, acting=voter, choice="yes")
    many, sql = queries(client, f"{board.base}/votes/{vote.pk}/ballots/")

    # user, membership, the vote, its voters with their members and proxies
    assert few == many == 4, "\n".join(sql)
