"""A secret ballot stays secret: after a member casts one, no governance endpoint (as any
role, while open and once closed), no admin page, no audit entry shows their id next to
their choice. The member abstains, a choice nobody else makes here, so "abstain" beside
their id anywhere would be their ballot. (Governance has no export; the finance statements
never read votes.)"""

import json
import re

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import URLPattern

from governance.api import urls as governance_urls
from governance.models import Ballot, VoteParticipation, VoteProxy
from governance.services.ballots import ballot_cast, vote_proxy_grant
from governance.services.votes import vote_close
from tests.factories import UserFactory
from tests.governance.votes_fixtures import open_vote
from tests.permission_matrix import ROLES

pytestmark = pytest.mark.django_db

GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def governance_get_urls(values):
    """Every GET route of governance.api.urls whose ids ``values`` holds, filled in."""
    urls = []
    for pattern in governance_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if "get" not in pattern.callback.actions:
            continue
        path = pattern.pattern.regex.pattern.lstrip("^").rstrip("$")
        if set(GROUP.findall(path)) <= set(values):
            urls.append("/api/v1/" + GROUP.sub(lambda m: str(values[m.group(1)]), path))
    return urls


def identities(board):
    member = board.member
    return [str(member.pk), member.pk.hex, str(member.user_id), member.user_id.hex]


def tied(value, ids):
    """Whether some JSON object mentions one of ``ids`` and, within itself, the choice."""
    if isinstance(value, list):
        return any(tied(item, ids) for item in value)
    if not isinstance(value, dict):
        return False
    text = json.dumps(value)
    if any(i in text for i in ids) and "abstain" in text.replace('"abstain":', ""):
        return True
    return any(tied(item, ids) for item in value.values())


def html_rows_tying(html, ids, code):
    rows = re.split(r"<tr[ >]", html)
    return [
        row
        for row in rows
        if (code in row or any(i in row for i in ids)) and re.search("abstain", row, re.I)
    ]


@pytest.fixture
def secret(board):
    vote = open_vote(board)
    vote_proxy_grant(vote=vote, acting=board.secretary, holder=board.treasurer)
    ballot_cast(vote=vote, acting=board.member, choice="abstain")
    ballot_cast(vote=vote, acting=board.chair, choice="yes")
    ballot_cast(vote=vote, acting=board.treasurer, choice="no", membership=board.secretary)
    return vote


def sweep(board, vote, as_role):
    values = {"chama_id": board.chama.pk, "vote_id": vote.pk}
    responses = []
    for role in ROLES:
        client = as_role(role)
        for url in governance_get_urls(values):
            response = client.get(url)
            # The vote's own pages answer every member; another area's may refuse a role.
            assert response.status_code in ((200,) if "/votes/" in url else (200, 403)), url
            responses.append((role, url, response.json()))
    return responses


def test_no_endpoint_ties_the_voter_to_the_choice_open_or_closed(board, secret, as_role):
    ids = identities(board)
    cast = as_role("member").post(
        f"{board.base}/votes/{secret.pk}/ballots/", {"choice": "abstain"}, format="json"
    )  # a second try: refused, and its answer reveals nothing either
    closed = as_role("chair").post(f"{board.base}/votes/{secret.pk}/close/")
    responses = sweep(board, secret, as_role)

    assert closed.json()["tallies"] == {"yes": 1, "no": 1, "abstain": 1}
    assert cast.status_code == 409
    assert not tied(cast.json(), ids)
    assert not tied(closed.json(), ids)
    assert [(role, url) for role, url, body in responses if tied(body, ids)] == []
    assert {url.split("/")[-2] for _, url, _ in responses} >= {"votes", "ballots"}


def test_the_member_voted_is_visible_but_their_choice_is_not(board, secret, as_role):
    mine = as_role("member").get(f"{board.base}/votes/{secret.pk}/").json()

    assert mine["my_participation"] == {"voted": True, "cast_by_id": None, "choice": None}


def test_no_audit_entry_ties_the_voter_to_the_choice(board, secret):
    vote_close(vote=secret, acting=board.chair)
    ids = identities(board)

    entries = list(LogEntry.objects.all())
    texts = [
        json.dumps(
            {
                "changes": e.changes_dict,
                "repr": e.object_repr,
                "actor": str(e.actor_id),
                "pk": e.object_pk,
            }
        )
        for e in entries
    ]

    assert entries
    assert [
        t for t in texts if any(i in t for i in ids) and "abstain" in t.replace("abstain_count", "")
    ] == []
    assert not LogEntry.objects.get_for_model(Ballot).exists()


def test_no_admin_page_ties_the_voter_to_the_choice(board, secret):
    vote_close(vote=secret, acting=board.chair)
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    participation = VoteParticipation.objects.get(membership=board.member)
    pages = ["/admin/governance/vote/", f"/admin/governance/vote/{secret.pk}/change/"]
    pages += ["/admin/governance/voteparticipation/"]
    pages += [f"/admin/governance/voteparticipation/{participation.pk}/change/"]
    pages += ["/admin/governance/voteproxy/", "/admin/governance/ballot/"]
    pages += [f"/admin/governance/ballot/{b.pk}/change/" for b in Ballot.objects.all()]
    ids, code = identities(board), board.member.member_code

    for page in pages:
        response = admin.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert html_rows_tying(html, ids, code) == [], page
    ballot_pages = [p for p in pages if "/ballot/" in p]
    for page in ballot_pages:
        html = admin.get(page).content.decode()
        assert code not in html, page
        assert not any(i in html for i in ids), page


def test_a_ballot_row_holds_nothing_that_leads_to_a_voter(secret):
    assert [f.column for f in Ballot._meta.concrete_fields] == ["id", "vote_id", "choice"]
    assert Ballot._meta.ordering == ["vote", "choice"]
    assert {b.pk.version for b in Ballot.objects.all()} == {4}  # random keys, no sequence
    assert VoteProxy.objects.count() == 1


def test_the_sweep_would_see_a_choice_beside_a_voter(board, as_role):
    """The detector itself: on an open ballot the member's choice is shown, and found."""
    vote = open_vote(board, anonymous=False)
    ballot_cast(vote=vote, acting=board.member, choice="abstain")

    responses = sweep(board, vote, as_role)

    assert {
        url.rsplit("/", 2)[-2] for _, url, body in responses if tied(body, identities(board))
    } == {"ballots"}
