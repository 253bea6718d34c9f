"""Who may do what with votes: anonymous → 401; not a member → 404; a role the action does
not admit → 403; an admitted role passes the permission checks."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.governance.votes_fixtures import open_vote
from tests.permission_matrix import ROLES, assert_admitted_or_refused, matrix_call

pytestmark = pytest.mark.django_db

EVERYONE = set(ROLES)
OFFICIALS = {"chair", "treasurer", "secretary"}
VOTERS = EVERYONE - {"auditor"}


def endpoints(board, vote):
    base = f"{board.base}/votes"
    opening = {
        "title": "A motion",
        "kind": "simple",
        "quorum": "0.5",
        "closes_at": (timezone.now() + timedelta(days=1)).isoformat(),
        "anonymous": True,
    }
    return [
        ("GET", f"{base}/", None, EVERYONE),
        ("POST", f"{base}/", opening, OFFICIALS),
        ("GET", f"{base}/{vote.pk}/", None, EVERYONE),
        ("GET", f"{base}/{vote.pk}/ballots/", None, EVERYONE),
        ("POST", f"{base}/{vote.pk}/ballots/", {"choice": "yes"}, VOTERS),
        ("POST", f"{base}/{vote.pk}/proxies/", {"holder_id": str(board.member.pk)}, VOTERS),
        ("POST", f"{base}/{vote.pk}/close/", None, {"chair"}),
    ]


@pytest.mark.parametrize("index", range(7))
def test_anonymous_is_401_and_outsider_is_404(board, as_role, index):
    method, url, body, _ = endpoints(board, open_vote(board))[index]

    assert matrix_call(APIClient(), method, url, body).status_code == 401
    assert matrix_call(as_role("outsider"), method, url, body).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(7))
def test_each_role_is_admitted_or_refused(board, as_role, index, role):
    method, url, body, admitted = endpoints(board, open_vote(board))[index]

    response = matrix_call(as_role(role), method, url, body)

    assert_admitted_or_refused(response, role, admitted)
