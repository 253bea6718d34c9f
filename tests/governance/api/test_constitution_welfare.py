"""chamas/{id}/welfare/ under a constitution's welfare rules: the fund's buffer and fixed
amounts shown, another amount refused (400), a payment into the buffer refused (409)."""

import pytest

from finance.choices import WelfareClaimStatus, WelfareClaimType
from finance.services.welfare import welfare_claim_approve
from tests.governance.welfare_fixtures import adopt, book, claim
from tests.groups.helpers import assert_error

pytestmark = pytest.mark.django_db

__all__ = ["book"]


@pytest.fixture
def as_role(book, client_for):
    return lambda role: client_for(getattr(book, role).user)


def test_the_fund_shows_its_buffer_and_what_claims_can_use(book, as_role):
    adopt(book, buffer="1000.00", bereavement="500.00")

    response = as_role("member").get(f"/api/v1/chamas/{book.chama.pk}/welfare/")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "balance": "1600.00",
        "buffer": "1000.00",
        "claimable": "600.00",
        "fixed_amounts": {"bereavement": "500.00"},
    }


def test_the_api_refuses_another_amount_and_takes_an_omitted_one(book, as_role):
    adopt(book, bereavement="500.00")
    client = as_role("member")
    url = f"/api/v1/chamas/{book.chama.pk}/welfare/claims/"

    refused = client.post(url, {"claim_type": "bereavement", "amount": "800.00"})
    assert_error(
        refused,
        status=400,
        code="welfare_amount_fixed",
        attr="amount",
        detail="The constitution pays KES 500.00 for a bereavement claim, not KES 800.00: "
        "claim 500.00, or leave the amount out.",
    )
    assert not book.chama.welfare_claims.exists()

    taken = client.post(url, {"claim_type": "bereavement"})
    assert taken.status_code == 201, taken.content
    assert taken.json()["amount"] == "500.00"


def test_the_api_answers_409_when_paying_would_enter_the_buffer(book, as_role):
    made = claim(book, WelfareClaimType.HOSPITAL, "700.00")
    welfare_claim_approve(claim=made, acting=book.chair)
    adopt(book, buffer="1000.00")
    url = f"/api/v1/chamas/{book.chama.pk}/welfare/claims/{made.pk}/pay/"

    response = as_role("treasurer").post(url, {"method": "cash"})

    assert_error(response, status=409, code="welfare_buffer")
    made.refresh_from_db()
    assert made.status == WelfareClaimStatus.APPROVED
