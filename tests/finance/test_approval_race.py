"""Real threads on PostgreSQL: two officials racing the last signature of a payout that needs
two pay it once."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError
from finance.choices import EntryType, PayoutMethod, PayoutStatus
from finance.models import JournalEntry, Payout
from finance.selectors import trial_balance_get
from finance.services.payouts import payout_approve, payout_request
from groups.approvals import approval_rules_clean
from groups.choices import Role
from groups.models import Signature
from tests.concurrency import run_concurrently
from tests.factories import add_member, appoint
from tests.finance.books import legs
from tests.finance.rotation import rotation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_officials_racing_the_last_signature_pay_the_pot_once():
    # Given a payout of round 1's 18,000 that needs two signatures, the chair's already in
    rot = rotation()
    for member in (rot.chair, rot.treasurer, rot.member):
        rot.pay(member, "10000.00")
    secretaries = [appoint(rot.member, Role.SECRETARY, by=rot.chair)]
    secretaries.append(add_member(rot.chama, role=Role.SECRETARY))
    rot.chama.approval_rules = approval_rules_clean({"payout": {"signatures": 2}})
    rot.chama.save(update_fields=["approval_rules"])
    payout = payout_request(round=rot.round(1), acting=rot.treasurer, method=PayoutMethod.CASH)
    payout_approve(payout=payout, acting=rot.chair)
    signers = iter(secretaries)

    # When both secretaries sign at once
    results = run_concurrently(lambda: payout_approve(payout=payout, acting=next(signers)), 2)

    # Then one signature pays the pot and the other finds the payout decided
    paid = [r for r in results if isinstance(r, Payout)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert [p.status for p in paid] == [PayoutStatus.COMPLETED], results
    assert [e.code for e in refused] == ["payout_not_requested"]
    [entry] = JournalEntry.objects.filter(entry_type=EntryType.PAYOUT)
    assert legs(entry) == [("1030", "C", Decimal("18000.00")), ("2200", "D", Decimal("18000.00"))]
    assert Signature.objects.filter(target_id=payout.pk).count() == 2
    assert trial_balance_get(chama=rot.chama) == Decimal("0.00")


def test_one_official_signing_twice_at_once_signs_once():
    rot = rotation()
    for member in (rot.chair, rot.treasurer, rot.member):
        rot.pay(member, "10000.00")
    rot.chama.approval_rules = approval_rules_clean({"payout": {"signatures": 2}})
    rot.chama.save(update_fields=["approval_rules"])
    payout = payout_request(round=rot.round(1), acting=rot.treasurer, method=PayoutMethod.CASH)

    results = run_concurrently(lambda: payout_approve(payout=payout, acting=rot.chair), 5)

    assert sum(isinstance(r, Payout) for r in results) == 1, results
    assert {r.code for r in results if isinstance(r, ConflictError)} == {"already_signed"}
    assert Signature.objects.filter(target_id=payout.pk).count() == 1
    assert Payout.objects.get().status == PayoutStatus.REQUESTED
    assert not JournalEntry.objects.filter(entry_type=EntryType.PAYOUT).exists()
