"""The merry-go-round acceptance, through the API as members' apps and officials use it."""

from decimal import Decimal

import pytest
import time_machine

from finance.models import Contribution, JournalEntry, Payout
from finance.services.payouts import payout_settle
from groups.choices import Role
from tests.factories import appoint
from tests.finance.factories import merry_go_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_of_january():
    # Round 1 met on 1 January: its dues have fallen due, later rounds' have not.
    with time_machine.travel("2026-01-02 10:00 +0300", tick=False):
        yield


@pytest.fixture
def mgr(client_for):
    chama, seats, cycle = merry_go_round(members=4, amount="10000.00")
    appoint(seats[1], Role.TREASURER, by=seats[0])
    return {
        "chama": chama,
        "seats": seats,
        "round1": cycle.rounds.get(number=1),
        "chair": client_for(seats[0].user),
        "treasurer": client_for(seats[1].user),
        "member": client_for(seats[3].user),
        "base": f"/api/v1/chamas/{chama.pk}",
    }


def record(mgr, member, amount, receipt):
    return mgr["treasurer"].post(
        f"{mgr['base']}/contributions/",
        {
            "member_id": str(member.pk),
            "amount": amount,
            "method": "mpesa",
            "mpesa_receipt": receipt,
        },
    )


def owes(rotation):
    """What a defaulter owes of a due that is all rotation."""
    return {"rotation": rotation, "savings": "0.00", "welfare": "0.00", "total": rotation}


def trial_balance(mgr):
    return mgr["member"].get(f"{mgr['base']}/ledger/accounts/").json()["trial_balance"]


def test_round_one_through_the_api(mgr, b2c_gateway, django_capture_on_commit_callbacks):
    s1, s2, s3, s4 = mgr["seats"]
    round_url = f"{mgr['base']}/rounds/{mgr['round1'].pk}/"

    for member, receipt in ((s1, "RA11111111"), (s2, "RA22222222"), (s3, "RA33333333")):
        response = record(mgr, member, "10000.00", receipt)
        assert response.status_code == 201, response.json()
        assert response.json()["status"] == "confirmed"
        assert trial_balance(mgr) == "0.00"

    summary = mgr["member"].get(round_url).json()
    assert summary["expected_pot"] == "40000.00"
    assert summary["collected"] == "30000.00"
    assert (summary["pot_remaining"], summary["pot_balance"], summary["paid_out"]) == (
        "10000.00",
        "30000.00",
        "0.00",
    )
    assert summary["is_disbursable"] is False
    assert summary["recipient"] == {
        "member_id": str(s1.pk),
        "full_name": s1.user.full_name,
        "member_code": "M001",
        "receive_phone": s1.receive_phone,
    }
    assert summary["defaulters"] == [
        {
            "member_id": str(s4.pk),
            "full_name": s4.user.full_name,
            "owes": owes("10000.00"),
        }
    ]

    early = mgr["treasurer"].post(f"{round_url}payout/", {"method": "cash"})
    assert early.status_code == 409
    assert early.json()["errors"][0]["code"] == "not_disbursable"

    members = {m["id"]: m for m in mgr["member"].get(f"{mgr['base']}/members/").json()["results"]}
    assert members[str(s1.pk)]["compliance_rate"] == 1.0
    assert members[str(s4.pk)]["compliance_rate"] == 0.0

    assert record(mgr, s4, "3000.00", "RA44444444").status_code == 201
    assert mgr["member"].get(round_url).json()["defaulters"][0]["owes"] == owes("7000.00")
    assert record(mgr, s4, "7000.00", "RA55555555").status_code == 201
    summary = mgr["member"].get(round_url).json()
    assert (summary["collected"], summary["is_disbursable"], summary["defaulters"]) == (
        "40000.00",
        True,
        [],
    )
    # The pot is in the paybill: the summary says what each method would pay from
    assert summary["paying_accounts"] == [
        {"method": "mpesa", "code": "1010", "name": "M-Pesa paybill", "holds": "40000.00"},
        {"method": "bank", "code": "1020", "name": "Bank account", "holds": "0.00"},
        {"method": "cash", "code": "1030", "name": "Cash at hand (treasurer)", "holds": "0.00"},
    ]
    assert summary["suggested_method"] == "mpesa"

    # Replaying a receipt: 409 and nothing written
    entries = JournalEntry.objects.count()
    replay = record(mgr, s2, "10000.00", "RA22222222")
    assert replay.status_code == 409
    assert replay.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "duplicate_receipt",
                "detail": "M-Pesa receipt RA22222222 has already been recorded.",
                "attr": None,
            }
        ],
    }
    assert (JournalEntry.objects.count(), Contribution.objects.count()) == (entries, 5)

    # Maker-checker: the treasurer requests, cannot approve; the chair approves
    requested = mgr["treasurer"].post(f"{round_url}payout/", {"method": "cash"})
    assert requested.status_code == 201
    payout = requested.json()
    assert (payout["amount"], payout["destination"], payout["status"]) == (
        "40000.00",
        s1.receive_phone,
        "requested",
    )
    approve_url = f"{mgr['base']}/payouts/{payout['id']}/approve/"
    own = mgr["treasurer"].post(approve_url)
    assert own.status_code == 403
    assert own.json()["errors"][0]["code"] == "same_official"

    # The pot is in the paybill, not the cash box: paying it in cash is refused, nothing moves
    entries = JournalEntry.objects.count()
    short = mgr["chair"].post(approve_url)
    assert short.status_code == 409
    assert short.json()["errors"] == [
        {
            "code": "insufficient_funds",
            "detail": "1030 Cash at hand (treasurer) holds KES 0.00: "
            "it cannot pay out KES 40,000.00.",
            "attr": None,
        }
    ]
    assert JournalEntry.objects.count() == entries
    rejected = mgr["chair"].post(
        f"{mgr['base']}/payouts/{payout['id']}/reject/", {"reason": "The pot is in the paybill"}
    )
    assert rejected.json()["status"] == "rejected"

    # Paid by M-Pesa from the paybill, where the money is
    payout = mgr["treasurer"].post(f"{round_url}payout/", {"method": "mpesa"}).json()
    with django_capture_on_commit_callbacks(execute=True):
        sent = mgr["chair"].post(f"{mgr['base']}/payouts/{payout['id']}/approve/")
    assert (sent.status_code, sent.json()["status"]) == (200, "in_flight")
    assert b2c_gateway.sent == [(s1.receive_phone, Decimal("40000.00"))]
    payout_settle(payout=Payout.objects.get(pk=payout["id"]), receipt="SBC0000001")

    accounts = mgr["member"].get(f"{mgr['base']}/ledger/accounts/").json()
    pot = [
        a
        for a in accounts["accounts"]
        if a["code"] == "2200" and a["round_id"] == str(mgr["round1"].pk)
    ]
    assert pot[0]["balance"] == "0.00"
    assert accounts["trial_balance"] == "0.00"
    summary = mgr["member"].get(round_url).json()
    assert (summary["status"], summary["pot_balance"], summary["paid_out"]) == (
        "paid",
        "0.00",
        "40000.00",
    )
