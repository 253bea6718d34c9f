"""Who may do what with investments: the permission matrix of every endpoint.

Anonymous → 401; signed in but not a member → 404; a role the action does not admit → 403
(the auditor reads everything and writes nothing); an admitted role gets its answer.
investment-options/ is open to every signed-in user, member of a chama or not.
"""

import pytest

from investments.choices import OptionKind
from tests.governance.meetings_fixtures import ROLES
from tests.investments.fixtures import option, pay_in, place

pytestmark = pytest.mark.django_db

EVERY_MEMBER = set(ROLES)
PLACERS = {"chair", "treasurer"}
COUNT = 5


@pytest.fixture
def matrix(club):
    pay_in(club, "2000000.00")
    bill = option(OptionKind.TBILL_91, "0.16")
    # One fund holding per role that may mature it: each admitted call finds one to redeem.
    fund = option(OptionKind.MONEY_MARKET, "0.12")
    holdings = {role: place(club, fund, "5000.00") for role in ROLES}
    body = {"option_id": str(bill.pk), "amount": "100000.00", "paying_account": "1020"}
    return [
        ("GET", f"{club.base}/investments/", None, EVERY_MEMBER),
        ("POST", f"{club.base}/investments/", body, PLACERS),
        ("GET", f"{club.base}/investments/{holdings['chair'].pk}/", None, EVERY_MEMBER),
        ("POST", lambda role: f"{club.base}/investments/{holdings[role].pk}/mature/", {}, PLACERS),
        ("GET", f"{club.base}/portfolio/", None, EVERY_MEMBER),
    ]


def call(client, method, url, body, role="chair"):
    url = url(role) if callable(url) else url
    if method == "GET":
        return client.get(url)
    return client.post(url, body, format="json")


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
    response = call(club.clients[role], method, url, body, role)
    if role in admitted:
        assert response.status_code in {200, 201}, response.content
    else:
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "permission_denied"


@pytest.mark.parametrize("who", ["outsider", "member", "auditor"])
def test_options_are_read_by_any_signed_in_user(club, who):
    assert club.clients[who].get("/api/v1/investment-options/").status_code == 200


def test_options_need_a_signed_in_user(club):
    response = club.clients["anonymous"].get("/api/v1/investment-options/")
    assert response.status_code == 401
    assert club.clients["member"].post("/api/v1/investment-options/", {}).status_code == 405
