"""Who may do what with goals: the permission matrix of every endpoint.

Anonymous → 401; not a member → 404; a role the action does not admit → 403; an admitted
role gets its answer. A member's goal is visible to that member and the officers only.
"""

from decimal import Decimal

import pytest

from investments.services.goals import goal_create
from tests.investments.conftest import in_months
from tests.permission_matrix import EVERY_MEMBER, matrix_call, matrix_tests

pytestmark = pytest.mark.django_db

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


(
    test_the_matrix_covers_every_endpoint,
    test_anonymous_is_401_and_outsider_is_404,
    test_each_role_is_admitted_or_refused,
) = matrix_tests(COUNT, statuses={200, 201})


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
        matrix_call(club.clients["member"], "POST", f"{url}/simulate/", {"paths": 10}).status_code
        == 404
    )
    assert club.clients["auditor"].get(f"{url}/").status_code == 200
