"""proposals/ and investments/idle-cash/ over HTTP: the contract, the permission matrix and
the list's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.choices import Plan
from investments.models import InvestmentOption, InvestmentProposal, ProposalStatus
from investments.services.idle_cash import idle_cash_scan
from investments.services.proposals import proposal_approve
from tests.factories import UserFactory
from tests.investments.idle_fixtures import TODAY, at
from tests.permission_matrix import ROLES, assert_admitted_or_refused, matrix_call

pytestmark = pytest.mark.django_db

EVERY_MEMBER = set(ROLES)
OFFICIALS = {"chair", "treasurer", "secretary"}


@pytest.fixture
def matrix(umoja):
    """Every endpoint with who it admits; each call starts from a fresh proposal."""
    with at(TODAY):
        idle_cash_scan()
    proposal = InvestmentProposal.objects.get()
    fund = InvestmentOption.objects.get(kind="money_market")
    base = umoja.base
    return [
        ("GET", f"{base}/investments/idle-cash/", None, EVERY_MEMBER),
        ("GET", f"{base}/proposals/", None, EVERY_MEMBER),
        ("GET", f"{base}/proposals/{proposal.pk}/", None, EVERY_MEMBER),
        ("POST", f"{base}/proposals/", {"option_id": str(fund.pk), "amount": "1000.00"}, OFFICIALS),
        ("POST", f"{base}/proposals/{proposal.pk}/approve/", {}, {"chair"}),
        ("POST", f"{base}/proposals/{proposal.pk}/reject/", {"reason": "Later"}, OFFICIALS),
        (
            "POST",
            f"{base}/proposals/{proposal.pk}/execute/",
            {"paying_account": "1030", "method": "manual"},
            {"chair", "treasurer"},
        ),
    ]


COUNT = 7


def test_the_matrix_covers_every_endpoint(matrix):
    assert len(matrix) == COUNT


@pytest.mark.parametrize("index", range(COUNT))
def test_anonymous_is_401_and_outsider_is_404(umoja, matrix, index):
    method, url, body, _ = matrix[index]
    with at(TODAY):
        outsider = umoja.client_for(UserFactory())  # signed in now
        assert matrix_call(umoja.clients["anonymous"], method, url, body).status_code == 401
        assert matrix_call(outsider, method, url, body).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(COUNT))
def test_each_role_is_admitted_or_refused(umoja, matrix, index, role):
    method, url, body, admitted = matrix[index]
    if url.endswith("/execute/"):  # only an approved proposal is executed
        proposal_approve(proposal=InvestmentProposal.objects.get(), acting=umoja.chair)
    if method == "POST" and url.endswith("/proposals/"):  # one open proposal at a time
        InvestmentProposal.objects.update(status=ProposalStatus.REJECTED)

    with at(TODAY):
        response = matrix_call(umoja.fresh(role), method, url, body)

    assert_admitted_or_refused(response, role, admitted, statuses={200, 201})


def test_idle_cash_shows_the_figure_and_what_it_could_earn(umoja):
    umoja.chama.plan = Plan.FREE  # the free plan gets no proposal, only this
    umoja.chama.save(update_fields=["plan"])

    with at(TODAY):
        body = umoja.fresh("member").get(f"{umoja.base}/investments/idle-cash/").json()

    assert body["cash_like"] == "290000.00"
    assert body["floor_30d"] == "210000.00"
    assert body["kept"] == {
        "pots": "60000.00",
        "approved_loans": "20000.00",
        "approved_expenses": "7500.00",
        "welfare_buffer": "5000.00",
        "reserve": "10000.00",
    }
    assert body["welfare_source"] == "constitution"  # forty days of history: too few
    assert (body["kept_total"], body["idle"], body["proposal_minimum"]) == (
        "102500.00",
        "107500.00",
        "50000.00",
    )
    earning = body["could_earn"]
    assert earning["option"]["kind"] == "money_market"
    assert (earning["amount"], earning["projected_net"]) == ("107500.00", "10965.00")


def test_approving_twice_and_executing_unapproved_are_409_with_stable_codes(umoja):
    with at(TODAY):
        idle_cash_scan()
        proposal = InvestmentProposal.objects.get()
        url = f"{umoja.base}/proposals/{proposal.pk}"
        chair, treasurer = umoja.fresh("chair"), umoja.fresh("treasurer")
        unapproved = treasurer.post(
            f"{url}/execute/", {"paying_account": "1030", "method": "manual"}, format="json"
        )
        first = chair.post(f"{url}/approve/", {}, format="json")
        second = chair.post(f"{url}/approve/", {}, format="json")
        too_much = treasurer.post(
            f"{umoja.base}/proposals/",
            {"option_id": str(proposal.option_id), "amount": "107501.00"},
            format="json",
        )

    assert unapproved.status_code == 409
    assert unapproved.json()["errors"][0]["code"] == "proposal_not_approved"
    assert first.status_code == 200
    assert first.json()["status"] == "approved"
    assert second.status_code == 409
    assert second.json()["errors"][0]["code"] == "proposal_decided"
    # Another open proposal is refused before its amount is weighed.
    assert too_much.status_code == 409


def test_the_list_is_constant(umoja):
    with at(TODAY):
        idle_cash_scan()
    client, url = umoja.fresh("member"), f"{umoja.base}/proposals/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for proposal in InvestmentProposal.objects.all():
        proposal.status = ProposalStatus.REJECTED
        proposal.rejection_reason = "Later"
        proposal.save()
    with at(TODAY):
        idle_cash_scan()  # a new one beside the rejected
    many = queries()

    assert few == many
