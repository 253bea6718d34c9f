"""The first thing a treasurer tries, through the API: a savings chama with no cycle, a member
who saves 5 x 5,000 and borrows 15,000 against it. With no dues to settle the money is member
credit, and credit counts as the member's money."""

from decimal import Decimal

import pytest

from finance import chart
from finance.selectors import trial_balance_get
from finance.services.ledger import ledger_account_get
from groups.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_save_then_borrow_without_a_cycle(client_for):
    chair_user = UserFactory()
    chair = client_for(chair_user)
    created = chair.post(
        "/api/v1/chamas/",
        {"name": "Umoja Savers", "contribution_amount": "5000.00"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    base = f"/api/v1/chamas/{created.json()['id']}"
    treasurer = chair.post(
        f"{base}/members/",
        {"full_name": "Wanjiru Treasurer", "phone": "0712000001", "role": "treasurer"},
        format="json",
    )
    member = chair.post(
        f"{base}/members/", {"full_name": "Otieno Saver", "phone": "0712000002"}, format="json"
    )
    assert (treasurer.status_code, member.status_code) == (201, 201)
    member_id = member.json()["id"]

    for _ in range(5):
        paid = chair.post(
            f"{base}/contributions/",
            {"member_id": member_id, "amount": "5000.00", "method": "cash"},
            format="json",
        )
        assert paid.status_code == 201, paid.json()

    quote = chair.post(
        f"{base}/loans/quote/",
        {"principal": "15000.00", "term_months": 3, "member_id": member_id},
        format="json",
    ).json()
    # 25,000.00 of credit x the default multiple of 3
    assert (quote["eligible"], quote["member_funds"], quote["max_principal"]) == (
        True,
        "25000.00",
        "75000.00",
    )
    applied = chair.post(
        f"{base}/loans/",
        {"principal": "15000.00", "term_months": 3, "member_id": member_id},
        format="json",
    )
    assert applied.status_code == 201, applied.json()
    loan_url = f"{base}/loans/{applied.json()['id']}"
    assert applied.json()["total_repayable"] == "19500.00"

    # the chair applied for the member, so the treasurer approves and pays out in cash
    treasurer_client = client_for(Membership.objects.get(pk=treasurer.json()["id"]).user)
    approved = treasurer_client.post(f"{loan_url}/approve/")
    disbursed = treasurer_client.post(f"{loan_url}/disburse/", {"method": "cash"}, format="json")

    assert approved.status_code == 200, approved.json()
    assert disbursed.status_code == 200, disbursed.json()
    assert (disbursed.json()["status"], disbursed.json()["outstanding"]) == ("active", "19500.00")
    chama = Membership.objects.get(pk=member_id).chama
    borrower = Membership.objects.get(pk=member_id)
    assert ledger_account_get(chama=chama, code=chart.CASH).cached_balance == Decimal("10000.00")
    assert ledger_account_get(
        chama=chama, code=chart.MEMBER_CREDIT, member=borrower
    ).cached_balance == Decimal("-25000.00")
    assert trial_balance_get(chama=chama) == Decimal("0.00")
