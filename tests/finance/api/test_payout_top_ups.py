"""Top-ups through the API: the one proposed when a defaulter pays a paid round, an official's
explicit request, and the refusals that write nothing."""

import pytest

from finance.exceptions import FinanceError
from finance.models import JournalEntry, Payout
from finance.services.payouts import payout_approve, payout_request
from tests.finance.rotation import rotation

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for):
    """Round 1 paid out early (12,000; seat 3 owing), the chair and treasurer signed in."""
    book = rotation()
    book.pay(book.chair, "10000.00")
    book.pay(book.treasurer, "10000.00")
    early = payout_request(
        round=book.round(1), acting=book.chair, method="cash", override_reason="Fees"
    )
    payout_approve(payout=early, acting=book.treasurer)
    base = f"/api/v1/chamas/{book.chama.pk}"
    return {
        "book": book,
        "chair": client_for(book.chair.user),
        "treasurer": client_for(book.treasurer.user),
        "base": base,
        "round1": f"{base}/rounds/{book.round(1).pk}/",
    }


def refused(response, status, code, detail):
    assert response.status_code == status, response.json()
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": code, "detail": detail, "attr": None}],
    }


def test_a_late_payment_is_proposed_as_a_top_up_and_approved_by_another_official(api):
    book = api["book"]
    paid = api["treasurer"].post(
        f"{api['base']}/contributions/",
        {"member_id": str(book.member.pk), "amount": "10000.00", "method": "cash"},
    )
    assert paid.status_code == 201, paid.json()

    queue = api["chair"].get(f"{api['base']}/payouts/", {"status": "requested"}).json()
    (top_up,) = queue["results"]
    assert {k: top_up[k] for k in ("kind", "automatic", "amount", "method", "requested_by")} == {
        "kind": "top_up",
        "automatic": True,
        "amount": "6000.00",
        "method": "cash",
        "requested_by": book.treasurer.user.full_name,
    }
    summary = api["chair"].get(api["round1"]).json()
    assert (summary["pot_remaining"], summary["pot_balance"], summary["paid_out"]) == (
        "0.00",
        "6000.00",
        "12000.00",
    )

    approved = api["chair"].post(f"{api['base']}/payouts/{top_up['id']}/approve/")

    assert (approved.status_code, approved.json()["status"], approved.json()["amount"]) == (
        200,
        "completed",
        "6000.00",
    )
    summary = api["chair"].get(api["round1"]).json()
    assert (summary["status"], summary["pot_balance"], summary["paid_out"]) == (
        "paid",
        "0.00",
        "18000.00",
    )


def test_an_official_requests_a_top_up_of_a_paid_pot_holding_money(api):
    book = api["book"]
    book.pay(book.member, "10000.00")
    proposed = Payout.objects.get(kind="top_up")
    waits = api["chair"].post(f"{api['round1']}payout/", {"method": "bank"})
    assert waits.json()["errors"][0]["code"] == "payout_exists"
    rejected = api["chair"].post(
        f"{api['base']}/payouts/{proposed.pk}/reject/", {"reason": "Pay it in cash myself"}
    )
    assert rejected.json()["status"] == "rejected"

    response = api["chair"].post(f"{api['round1']}payout/", {"method": "cash"})

    assert response.status_code == 201, response.json()
    assert {k: response.json()[k] for k in ("kind", "automatic", "amount", "status")} == {
        "kind": "top_up",
        "automatic": False,
        "amount": "6000.00",
        "status": "requested",
    }


def test_a_top_up_of_an_empty_pot_is_409_pot_empty_and_writes_nothing(api):
    before = (Payout.objects.count(), JournalEntry.objects.count())

    response = api["chair"].post(f"{api['round1']}payout/", {"method": "cash"})

    refused(response, 409, "pot_empty", FinanceError.POT_EMPTY.render(round="1.1"))
    assert (Payout.objects.count(), JournalEntry.objects.count()) == before


def test_a_top_up_of_a_round_not_paid_out_is_409_round_not_paid_and_writes_nothing(api):
    book = api["book"]
    for seat in (book.chair, book.treasurer):
        book.pay(seat, "10000.00")  # round 2: 12,000 collected, not paid out
    before = (Payout.objects.count(), JournalEntry.objects.count())

    response = api["chair"].post(
        f"{api['base']}/rounds/{book.round(2).pk}/payout/", {"method": "cash", "kind": "top_up"}
    )

    refused(response, 409, "round_not_paid", FinanceError.ROUND_NOT_PAID.render(round="1.2"))
    assert (Payout.objects.count(), JournalEntry.objects.count()) == before
