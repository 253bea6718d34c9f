"""The votes API: opening, casting, proxies, closing, and what each response shows."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from governance.choices import Majority
from governance.models import Ballot, Vote, VoteParticipation
from governance.selectors.constitution import constitution_rules_get
from governance.services.ballots import ballot_cast
from governance.services.constitution import constitution_adopt
from governance.services.votes import vote_close
from tests.governance.votes_fixtures import make_board, open_vote

pytestmark = pytest.mark.django_db


def test_an_official_opens_a_motion(board, as_role):
    closes = (timezone.now() + timedelta(days=2)).replace(microsecond=0)

    response = as_role("secretary").post(
        f"{board.base}/votes/",
        {
            "title": "Raise the monthly contribution to 1,500",
            "kind": "two_thirds",
            "quorum": "0.600",
            "closes_at": closes.isoformat(),
            "anonymous": True,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("title", "kind", "quorum", "electorate", "status")} == {
        "title": "Raise the monthly contribution to 1,500",
        "kind": "two_thirds",
        "quorum": "0.600",
        "electorate": 4,
        "status": "open",
    }
    assert (body["result"], body["tallies"], body["turnout"]) == (None, None, 0)
    assert body["my_participation"] == {"voted": False, "cast_by_id": None, "choice": None}
    assert body["opened_by_id"] == str(board.secretary.pk)


def test_a_motion_without_kind_or_quorum_takes_the_constitutions(board, as_role):
    rules = constitution_rules_get(chama=board.chama)
    voting = replace(rules.voting, quorum=Decimal("0.75"), majority=Majority.TWO_THIRDS)
    constitution_adopt(chama=board.chama, acting=board.chair, rules=replace(rules, voting=voting))
    closes = timezone.now() + timedelta(days=2)

    response = as_role("secretary").post(
        f"{board.base}/votes/",
        {"title": "Buy chairs", "closes_at": closes.isoformat(), "anonymous": False},
        format="json",
    )
    given = as_role("secretary").post(
        f"{board.base}/votes/",
        {
            "title": "Buy a tent",
            "kind": "simple",
            "closes_at": closes.isoformat(),
            "anonymous": False,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["kind"], response.json()["quorum"]) == ("two_thirds", "0.750")
    assert (given.json()["kind"], given.json()["quorum"]) == ("simple", "0.750")


def test_without_a_constitution_a_motion_takes_the_templates_simple_majority_of_half(
    board, as_role
):
    response = as_role("chair").post(
        f"{board.base}/votes/",
        {
            "title": "Buy chairs",
            "closes_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "anonymous": True,
        },
        format="json",
    )

    assert (response.json()["kind"], response.json()["quorum"]) == ("simple", "0.500")


def test_a_bad_quorum_is_a_400_and_nothing_is_written(board, as_role):
    response = as_role("chair").post(
        f"{board.base}/votes/",
        {
            "title": "x",
            "kind": "simple",
            "quorum": "1.5",
            "closes_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "anonymous": False,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_quorum"
    assert Vote.objects.count() == 0


def test_casting_answers_with_the_vote_never_with_the_choice_of_a_secret_ballot(board, as_role):
    vote = open_vote(board)
    url = f"{board.base}/votes/{vote.pk}/ballots/"

    response = as_role("member").post(url, {"choice": "abstain"}, format="json")
    again = as_role("member").post(url, {"choice": "yes"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["my_participation"] == {
        "voted": True,
        "cast_by_id": None,
        "choice": None,
    }
    assert response.json()["turnout"] == 1
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "already_voted"
    assert (VoteParticipation.objects.count(), Ballot.objects.count()) == (1, 1)


def test_on_an_open_ballot_members_see_who_chose_what(board, as_role):
    vote = open_vote(board, anonymous=False)
    ballot_cast(vote=vote, acting=board.member, choice="no")

    mine = as_role("member").get(f"{board.base}/votes/{vote.pk}/").json()["my_participation"]
    ballots = as_role("auditor").get(f"{board.base}/votes/{vote.pk}/ballots/").json()

    assert mine == {"voted": True, "cast_by_id": None, "choice": "no"}
    assert ballots["ballots"] == [
        {
            "member_id": str(board.member.pk),
            "member_code": board.member.member_code,
            "full_name": board.member.user.full_name,
            "cast_by_id": None,
            "choice": "no",
        }
    ]
    assert (ballots["turnout"], ballots["tallies"]) == (1, None)


def test_on_a_secret_ballot_members_see_only_counts(board, as_role):
    vote = open_vote(board)
    for voter, choice in zip(board.voters, ["yes", "yes", "no"], strict=False):
        ballot_cast(vote=vote, acting=voter, choice=choice)
    url = f"{board.base}/votes/{vote.pk}/ballots/"

    while_open = as_role("member").get(url).json()
    vote_close(vote=vote, acting=board.chair)
    closed = as_role("member").get(url).json()

    assert while_open == {
        "vote_id": str(vote.pk),
        "anonymous": True,
        "status": "open",
        "turnout": 3,
        "tallies": None,
        "ballots": [],
    }
    assert (closed["tallies"], closed["ballots"]) == ({"yes": 2, "no": 1, "abstain": 0}, [])


def test_a_proxy_holder_casts_through_the_api(board, as_role):
    vote = open_vote(board)
    base = f"{board.base}/votes/{vote.pk}"

    given = as_role("member").post(
        f"{base}/proxies/", {"holder_id": str(board.treasurer.pk)}, format="json"
    )
    cast = as_role("treasurer").post(
        f"{base}/ballots/", {"choice": "no", "for_member_id": str(board.member.pk)}, format="json"
    )
    refused = as_role("chair").post(
        f"{base}/ballots/", {"choice": "no", "for_member_id": str(board.member.pk)}, format="json"
    )
    mine = as_role("member").get(f"{base}/").json()["my_participation"]

    assert given.status_code == 201, given.json()
    assert given.json()["holder_id"] == str(board.treasurer.pk)
    assert cast.status_code == 201, cast.json()
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["detail"] == (
        "You hold no proxy from this member for this vote."
    )
    assert mine == {"voted": True, "cast_by_id": str(board.treasurer.pk), "choice": None}


def test_voting_after_the_deadline_is_a_409(board, as_role):
    vote = open_vote(board)

    with time_machine.travel(vote.closes_at + timedelta(minutes=1)):
        response = as_role("member").post(
            f"{board.base}/votes/{vote.pk}/ballots/", {"choice": "yes"}, format="json"
        )

    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "vote_closed"
    assert Ballot.objects.count() == 0


def test_the_chair_closes_and_the_tallies_appear(board, as_role):
    vote = open_vote(board, kind="unanimous")
    for voter in board.voters[:3]:
        ballot_cast(vote=vote, acting=voter, choice="yes")

    response = as_role("chair").post(f"{board.base}/votes/{vote.pk}/close/")
    again = as_role("chair").post(f"{board.base}/votes/{vote.pk}/close/")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["result"], body["tallies"]) == (
        "closed",
        "passed",
        {"yes": 3, "no": 0, "abstain": 0},
    )
    assert body["closed_by_id"] == str(board.chair.pk)
    assert again.json() == body  # final: closing again changes nothing


def test_a_vote_of_another_chama_is_a_404(board, as_role):
    theirs = open_vote(other := make_board())
    assert other.chama != board.chama

    assert as_role("chair").get(f"{board.base}/votes/{theirs.pk}/").status_code == 404
    response = as_role("chair").post(
        f"{board.base}/votes/{theirs.pk}/ballots/", {"choice": "yes"}, format="json"
    )
    assert response.status_code == 404
    assert Ballot.objects.count() == 0
