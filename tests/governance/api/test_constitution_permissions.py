"""Who may do what with the constitution: every endpoint, every role.

Anonymous → 401; signed in but not a member (or no longer an active one) → 404; a role the
action does not admit → 403; an admitted role passes (the service may still refuse).
"""

import pytest
from rest_framework.test import APIClient

from governance.selectors.constitution import constitution_template_rules
from governance.services.constitution import constitution_adopt
from tests.governance.constitution_fixtures import constitution_url
from tests.permission_matrix import ROLES, matrix_call

pytestmark = pytest.mark.django_db

EVERYONE = set(ROLES)
ENDPOINTS = 7


@pytest.fixture
def adopted(chama, roles):
    return constitution_adopt(
        chama=chama, acting=roles["chair"], rules=constitution_template_rules(chama=chama)
    )


def endpoints(chama, rules_body):
    return [
        ("GET", constitution_url(chama), None, EVERYONE),
        ("PUT", constitution_url(chama), rules_body, {"chair"}),
        ("POST", constitution_url(chama, "accept/"), {}, EVERYONE),
        ("GET", constitution_url(chama, "versions/"), None, EVERYONE),
        ("GET", constitution_url(chama, "versions/1/"), None, EVERYONE),
        ("PUT", constitution_url(chama), {**rules_body, "by_vote": True}, {"chair"}),
        ("GET", constitution_url(chama, "proposals/"), None, EVERYONE),
    ]


@pytest.fixture
def matrix(client_for, people, chama, adopted):
    rules = client_for(people["chair"]).get(constitution_url(chama)).json()["rules"]
    return endpoints(chama, {"rules": rules})


@pytest.mark.parametrize("index", range(ENDPOINTS))
def test_strangers_get_401_and_404(client_for, people, matrix, index):
    method, url, body, _ = matrix[index]

    assert matrix_call(APIClient(), method, url, body).status_code == 401
    for stranger in ("outsider", "suspended", "exited"):
        assert matrix_call(client_for(people[stranger]), method, url, body).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(ENDPOINTS))
def test_each_role(client_for, people, matrix, role, index):
    method, url, body, allowed = matrix[index]

    response = matrix_call(client_for(people[role]), method, url, body)

    if role in allowed:
        assert response.status_code in (200, 201, 202), response.json()
    else:
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "permission_denied"
