"""Who may do what with investments: the permission matrix of every endpoint.

Anonymous → 401; signed in but not a member → 404; a role the action does not admit → 403
(the auditor reads everything and writes nothing); an admitted role gets its answer.
investment-options/ is open to every signed-in user, member of a chama or not.
"""

import pytest

from investments.choices import OptionKind
from tests.investments.fixtures import option, pay_in, place
from tests.permission_matrix import EVERY_MEMBER, ROLES, matrix_tests

pytestmark = pytest.mark.django_db

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


(
    test_the_matrix_covers_every_endpoint,
    test_anonymous_is_401_and_outsider_is_404,
    test_each_role_is_admitted_or_refused,
) = matrix_tests(COUNT, statuses={200, 201})


@pytest.mark.parametrize("who", ["outsider", "member", "auditor"])
def test_options_are_read_by_any_signed_in_user(club, who):
    assert club.clients[who].get("/api/v1/investment-options/").status_code == 200


def test_options_need_a_signed_in_user(club):
    response = club.clients["anonymous"].get("/api/v1/investment-options/")
    assert response.status_code == 401
    assert club.clients["member"].post("/api/v1/investment-options/", {}).status_code == 405
