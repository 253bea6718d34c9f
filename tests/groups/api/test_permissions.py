"""Who may do what (DESIGN.md §4.1) on every groups endpoint and method.

Anonymous callers get 401; anyone who is not an active member of the chama gets 404, so its
existence is never revealed; active members and the auditor read; officials write members; only
the chair changes the chama's settings.
"""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from tests.factories import add_member, make_chama
from tests.groups.helpers import (
    assert_error,
    chama_url,
    chamas_url,
    member_url,
    members_url,
    reload,
)
from tests.permission_matrix import matrix_call

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], APIClient]
NEW_PHONE = "254711000077"

ACTORS = (
    "anonymous",
    "outsider",
    "suspended",
    "exited",
    "member",
    "auditor",
    "secretary",
    "treasurer",
    "chair",
)
# fmt: off
MATRIX: dict[tuple[str, str], tuple[int, ...]] = {
    #                       anon out  susp exit memb aud  sec  tre  chair
    ("chamas", "GET"):     (401, 200, 200, 200, 200, 200, 200, 200, 200),
    ("chamas", "POST"):    (401, 201, 201, 201, 201, 201, 201, 201, 201),
    ("chama", "GET"):      (401, 404, 404, 404, 200, 200, 200, 200, 200),
    ("chama", "PATCH"):    (401, 404, 404, 404, 403, 403, 403, 403, 200),
    ("members", "GET"):    (401, 404, 404, 404, 200, 200, 200, 200, 200),
    ("members", "POST"):   (401, 404, 404, 404, 403, 403, 201, 201, 201),
    ("member", "GET"):     (401, 404, 404, 404, 200, 200, 200, 200, 200),
    ("member", "PATCH"):   (401, 404, 404, 404, 403, 403, 200, 200, 200),
}
# fmt: on
CASES = [
    (endpoint, method, actor, statuses[i])
    for (endpoint, method), statuses in MATRIX.items()
    for i, actor in enumerate(ACTORS)
]
ERROR_CODES = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}
SCOPED_ENDPOINTS = [
    ("chama", "GET"),
    ("chama", "PATCH"),
    ("members", "GET"),
    ("members", "POST"),
    ("member", "GET"),
    ("member", "PATCH"),
]


def url_for(endpoint: str, chama_id: Any, member_id: Any = None) -> str:
    if endpoint == "chamas":
        return chamas_url()
    if endpoint == "chama":
        return chama_url(chama_id)
    if endpoint == "members":
        return members_url(chama_id)
    return member_url(chama_id, member_id)


def body_for(endpoint: str) -> dict[str, str]:
    return {
        "chamas": {"name": "Mpya Group"},
        "chama": {"description": "Changed"},
        "members": {"full_name": "Mwanachama Mpya", "phone": NEW_PHONE},
        "member": {"receive_phone": "0722000077"},
    }[endpoint]


@pytest.fixture
def as_actor(client_for: ClientFor, people: dict[str, User | None]) -> Callable[[str], APIClient]:
    def make(actor: str) -> APIClient:
        user = people[actor]
        return APIClient() if user is None else client_for(user)

    return make


def state(chama: Chama, target: Membership) -> tuple[Any, ...]:
    """Everything the write endpoints could change."""
    target = reload(target)
    return (
        reload(chama).description,
        Chama.objects.count(),
        Membership.objects.count(),
        target.receive_phone,
    )


@pytest.mark.parametrize(("endpoint", "method", "actor", "expected"), CASES)
def test_permission_matrix(as_actor, chama, roles, endpoint, method, actor, expected):
    # Given the chama's plain member as the target of member endpoints
    target = roles["member"]
    before = state(chama, target)

    # When the actor calls the endpoint
    response = matrix_call(
        as_actor(actor), method, url_for(endpoint, chama.pk, target.pk), body_for(endpoint)
    )

    # Then they get the status the matrix says, in the one error shape when refused
    assert response.status_code == expected, response.content
    if expected >= 400:
        detail = GroupsError.ROLE_DENIED.message if expected == 403 else None
        assert_error(response, status=expected, code=ERROR_CODES[expected], detail=detail)
        assert state(chama, target) == before  # a refused write changes nothing
    if expected == 200 and method == "PATCH":
        assert state(chama, target) != before  # the allowed write really happened


@pytest.mark.parametrize(
    ("actor", "sees_chama"),
    [
        ("outsider", False),
        ("suspended", False),
        ("exited", False),
        ("member", True),
        ("auditor", True),
        ("chair", True),
    ],
)
def test_chama_list_shows_the_chama_to_active_members_only(as_actor, chama, actor, sees_chama):
    response = as_actor(actor).get(chamas_url())

    assert response.status_code == 200
    ids = [c["id"] for c in response.json()["results"]]
    assert ids == ([str(chama.pk)] if sees_chama else [])


@pytest.mark.parametrize(("endpoint", "method"), SCOPED_ENDPOINTS)
def test_a_chama_that_does_not_exist_is_a_404(chair_api, roles, endpoint, method):
    response = matrix_call(
        chair_api, method, url_for(endpoint, uuid.uuid4(), roles["member"].pk), body_for(endpoint)
    )

    assert_error(response, status=404, code="not_found")


@pytest.mark.parametrize(("endpoint", "method"), SCOPED_ENDPOINTS)
@pytest.mark.parametrize("chama_id", ["not-a-uuid", "12345", "0" * 33])
def test_a_malformed_chama_id_is_a_json_404(chair_api, roles, endpoint, method, chama_id):
    response = matrix_call(chair_api, method, url_for(endpoint, chama_id, roles["member"].pk), {})

    assert response["Content-Type"] == "application/json"
    assert_error(response, status=404, code="not_found", detail="Not found.")


@pytest.mark.parametrize("method", ["GET", "PATCH"])
@pytest.mark.parametrize("member_id", ["not-a-uuid", "42", "5f0c6a8e-4a1b-4c55-9d0e-2b7f3c9a1e64"])
def test_an_unknown_or_malformed_member_id_is_a_404(chair_api, chama, roles, method, member_id):
    response = matrix_call(chair_api, method, member_url(chama.pk, member_id), {"seat": 9})

    assert_error(response, status=404, code="not_found")


@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_a_member_id_of_another_chama_is_a_404(client_for, chama, roles, method):
    # Given the chair of this chama also chairs another chama with its own members
    other = make_chama(creator=roles["chair"].user, name="Other Group")
    foreign = add_member(other)

    # When they use the other chama's member id under this chama's URL
    response = matrix_call(
        client_for(roles["chair"].user),
        method,
        member_url(chama.pk, foreign.pk),
        {"receive_phone": "0722000077"},
    )

    # Then it is not found there, and the other chama's member is untouched
    assert_error(response, status=404, code="not_found")
    assert reload(foreign).receive_phone == foreign.user.phone


def test_a_member_of_one_chama_cannot_reach_another_through_its_own_member_id(
    client_for, chama, roles
):
    other = make_chama(name="Other Group")

    response = client_for(roles["member"].user).get(member_url(other.pk, roles["member"].pk))

    assert_error(response, status=404, code="not_found")


def test_an_outsider_gets_the_same_404_for_a_real_chama_and_a_missing_one(client_for, people):
    outsider = client_for(people["outsider"])
    chama_id = Membership.objects.get(user=people["chair"]).chama_id

    real = outsider.get(chama_url(chama_id))
    missing = outsider.get(chama_url(uuid.uuid4()))

    assert (real.status_code, real.json()) == (missing.status_code, missing.json())
