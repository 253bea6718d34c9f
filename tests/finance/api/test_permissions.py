"""Who may do what in the books: the permission matrix of every finance endpoint.

Anonymous → 401; signed in but not a member → 404; a role the action does not admit → 403;
an admitted role passes the permission checks (the service may still refuse on the merits).
"""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from finance.choices import PaymentMethod
from finance.services.contributions import contribution_record
from finance.services.payouts import payout_request
from tests.finance.factories import merry_go_round
from tests.permission_matrix import ROLES, assert_admitted_or_refused, matrix_call

pytestmark = pytest.mark.django_db

EVERY_MEMBER = set(ROLES)
OFFICIALS = {"chair", "treasurer", "secretary"}
RECONCILERS = {"chair", "treasurer"}


def endpoints(books, contribution_id, payout_id):
    base, round1 = books["base"], books["round1"]
    member = books["seats"][3]
    return [
        ("GET", f"{base}/ledger/accounts/", None, EVERY_MEMBER),
        ("GET", f"{base}/ledger/entries/", None, EVERY_MEMBER),
        ("GET", f"{base}/cycles/", None, EVERY_MEMBER),
        ("POST", f"{base}/cycles/", {"start_date": "2027-01-01"}, OFFICIALS),
        ("GET", f"{base}/rounds/{round1.pk}/", None, EVERY_MEMBER),
        ("POST", f"{base}/rounds/{round1.pk}/payout/", {"method": "cash"}, OFFICIALS),
        ("GET", f"{base}/payouts/", None, EVERY_MEMBER),
        ("POST", f"{base}/payouts/{payout_id}/reject/", {"reason": "no"}, OFFICIALS),
        ("GET", f"{base}/contributions/", None, EVERY_MEMBER),
        (
            "POST",
            f"{base}/contributions/",
            {"member_id": str(member.pk), "amount": "10.00", "method": "cash", "status": "pending"},
            OFFICIALS,
        ),
        ("GET", f"{base}/contributions/{contribution_id}/", None, EVERY_MEMBER),
        ("POST", f"{base}/contributions/{contribution_id}/confirm/", None, RECONCILERS),
        ("POST", f"{base}/contributions/{contribution_id}/reverse/", {"reason": "x"}, RECONCILERS),
    ]


@pytest.fixture
def matrix(books):
    seats = books["seats"]
    for i, member in enumerate(seats):
        contribution_record(
            chama=books["chama"],
            membership=member,
            amount=Decimal("1000.00"),
            method=PaymentMethod.MPESA,
            mpesa_receipt=f"RP1234567{i}",
        )
    payout = payout_request(round=books["round1"], acting=seats[1], method="cash")
    contribution = books["chama"].contributions.first()
    return endpoints(books, contribution.pk, payout.pk)


@pytest.mark.parametrize("index", range(13))
def test_anonymous_is_401_and_outsider_is_404(books, matrix, index):
    method, url, body, _ = matrix[index]

    assert matrix_call(APIClient(), method, url, body).status_code == 401
    assert matrix_call(books["clients"]["outsider"], method, url, body).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(13))
def test_each_role_is_admitted_or_refused(books, matrix, index, role):
    method, url, body, admitted = matrix[index]

    response = matrix_call(books["clients"][role], method, url, body)

    assert_admitted_or_refused(response, role, admitted)


def test_a_round_or_contribution_of_another_chama_is_a_404_under_this_chama(books):
    other, other_seats, other_cycle = merry_go_round(members=2, amount="10.00")
    theirs = contribution_record(
        chama=other,
        membership=other_seats[0],
        amount=Decimal("10.00"),
        method=PaymentMethod.MPESA,
        mpesa_receipt="RZ12345678",
    )
    chair = books["clients"]["chair"]
    round_url = f"{books['base']}/rounds/{other_cycle.rounds.get(number=1).pk}/"

    assert chair.get(round_url).status_code == 404
    assert chair.post(f"{round_url}payout/", {"method": "cash"}, format="json").status_code == 404
    assert (
        chair.post(
            f"{books['base']}/contributions/{theirs.pk}/reverse/", {"reason": "x"}, format="json"
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == "confirmed"
