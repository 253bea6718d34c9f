"""Who may do what with goals: the permission matrix of every endpoint.

Anonymous → 401; not a member → 404; a role the action does not admit → 403; an admitted
role gets its answer. A member's goal is visible to that member and the officers only.
"""

from decimal import Decimal

import pytest

from investments.services.goals import goal_create
from tests.governance.meetings_fixtures import ROLES
from tests.governance.meetings_fixtures import matrix_call as call
from tests.investments.conftest import in_months

pytestmark = pytest.mark.django_db

EVERY_MEMBER = set(ROLES)
SETTERS = {"chair", "treasurer", "secretary", "member"}


@pytest.fixture
def matrix(club):
    goal = goal_create(
        chama=club.chama,
        acting=club.chair,
        name="Plot",
        target_amount=Decimal("500000.00"),
        target_date=in_months(36),
        for_chama=True,
    )
    base = f"{club.base}/goals"
    body = {"name": "Fees", "target_amount": "1000.00", "target_date": str(in_months(6))}
    return [
        ("GET", f"{base}/", None, EVERY_MEMBER),
        ("POST", f"{base}/", body, SETTERS),
        ("GET", f"{base}/{goal.pk}/", None, EVERY_MEMBER),
        ("POST", f"{base}/{goal.pk}/simulate/", {"paths": 100, "seed": 1}, EVERY_MEMBER),
    ]


COUNT = 4


def test_the_matrix_covers_every_endpoint(matrix):
    assert len(matrix) == COUNT


@pytest.mark.parametrize("index", range(COUNT))
def test_anonymous_is_401_and_outsider_is_404(club, matrix, index):
    method, url, body, _ = matrix[index]

    assert call(club.clients["anonymous"], method, url, body).status_code == 401
    assert call(club.clients["outsider"], method, url, body).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(COUNT))
def test_each_role_is_admitted_or_refused(club, matrix, index, role):
    method, url, body, admitted = matrix[index]

    response = call(club.clients[role], method, url, body)

    if role in admitted:
        assert response.status_code in {200, 201}, response.content
    else:
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "permission_denied"


def test_a_members_goal_is_hidden_from_other_members(club):
    goal = goal_create(
        chama=club.chama,
        acting=club.treasurer,
        name="Mine",
        target_amount=Decimal("1000.00"),
        target_date=in_months(6),
    )
    url = f"{club.base}/goals/{goal.pk}"

    assert club.clients["member"].get(f"{url}/").status_code == 404
    assert (
        call(club.clients["member"], "POST", f"{url}/simulate/", {"paths": 10}).status_code == 404
    )
    assert club.clients["auditor"].get(f"{url}/").status_code == 200
