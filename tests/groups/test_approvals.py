"""N-signature approvals (groups.approvals), proved on pot payouts: a three-seat rotation whose
treasurer requests round 1's pot of 18,000 (in the cash box) for the chair, seat 1."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance.choices import EntryType, PayoutMethod, PayoutStatus, RoundStatus
from finance.models import JournalEntry, Payout
from finance.selectors import trial_balance_get
from finance.services.payouts import payout_approve, payout_reject, payout_request
from groups.approvals import (
    ApprovalRule,
    approval_rule_get,
    approval_rules_clean,
)
from groups.choices import Role
from groups.models import Signature
from tests.factories import add_member, appoint
from tests.finance.books import legs
from tests.finance.rotation import Rotation, rotation

pytestmark = pytest.mark.django_db

ALREADY_SIGNED = "You have already signed this payout: an official signs a decision once."


def rules(rot: Rotation, **kinds: dict) -> None:
    rot.chama.approval_rules = approval_rules_clean(kinds)
    rot.chama.save(update_fields=["approval_rules"])


@pytest.fixture
def rot() -> Rotation:
    """Round 1's pot holds 18,000 in the cash box; the treasurer asked to pay it out in cash.
    The member of seat 3 is a secretary, and a second secretary joined."""
    rot = rotation()
    for member in (rot.chair, rot.treasurer, rot.member):
        rot.pay(member, "10000.00")
    appoint(rot.member, Role.SECRETARY, by=rot.chair)
    rot.secretary = rot.member
    rot.secretary2 = add_member(rot.chama, role=Role.SECRETARY)
    rot.payout = payout_request(round=rot.round(1), acting=rot.treasurer, method=PayoutMethod.CASH)
    return rot


def payout_entries() -> list[JournalEntry]:
    return list(JournalEntry.objects.filter(entry_type=EntryType.PAYOUT))


def signed(payout: Payout) -> list[tuple[str, str]]:
    return [
        (s.membership.member_code, s.decision)
        for s in Signature.objects.filter(target_id=payout.pk).select_related("membership")
    ]


# --- the rule -------------------------------------------------------------------------------


def test_a_chama_without_rules_needs_one_signature_and_no_chair(rot):
    assert rot.chama.approval_rules == {}
    assert approval_rule_get(rot.chama, "payout") == ApprovalRule(1, None)


def test_rules_are_read_per_kind(rot):
    rules(rot, payout={"signatures": 2, "chair_threshold": "50000"}, loan={"signatures": 3})

    assert rot.chama.approval_rules == {
        "payout": {"signatures": 2, "chair_threshold": "50000.00"},
        "loan": {"signatures": 3, "chair_threshold": None},
    }
    assert approval_rule_get(rot.chama, "payout") == ApprovalRule(2, Decimal("50000.00"))
    assert approval_rule_get(rot.chama, "loan") == ApprovalRule(3, None)
    assert approval_rule_get(rot.chama, "welfare") == ApprovalRule(1, None)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ({"payouts": {"signatures": 2}}, "payouts"),
        ({"payout": {"signatures": 0}}, "payout"),
        ({"payout": {"signatures": 21}}, "payout"),
        ({"payout": {"signatures": "2"}}, "payout"),
        ({"payout": {"signatures": True}}, "payout"),
        ({"loan": {"signatures": 2, "chair_threshold": "lots"}}, "loan"),
        ({"loan": {"signatures": 2, "chair_threshold": "-1"}}, "loan"),
        ({"loan": {"signatures": 2, "quorum": 1}}, "loan"),
        ({"loan": 2}, "loan"),
        ([], "?"),
    ],
)
def test_a_bad_rule_is_refused_naming_its_kind(raw, kind):
    with pytest.raises(ValidationFailed) as refused:
        approval_rules_clean(raw)

    assert refused.value.code == "invalid_approval_rule"
    assert refused.value.message.startswith(f"The approval rule for {kind} must name a kind")


# --- N = 1: today's maker-checker -----------------------------------------------------------


def test_with_one_signature_the_first_approval_pays_as_before(rot):
    payout = payout_approve(payout=rot.payout, acting=rot.chair)

    assert payout.status == PayoutStatus.COMPLETED
    [entry] = payout_entries()
    assert legs(entry) == [("1030", "C", Decimal("18000.00")), ("2200", "D", Decimal("18000.00"))]
    assert signed(payout) == [(rot.chair.member_code, "approve")]
    assert trial_balance_get(chama=rot.chama) == Decimal("0.00")


# --- N = 2 ----------------------------------------------------------------------------------


def test_with_two_signatures_the_first_approval_leaves_the_payout_requested(rot):
    rules(rot, payout={"signatures": 2})

    # When the chair signs
    payout = payout_approve(payout=rot.payout, acting=rot.chair, comment="Pot is complete")

    # Then the payout waits, nothing is posted and the round still holds its pot
    payout.refresh_from_db()
    assert (payout.status, payout.decided_by_id, payout.sent_entry_id) == ("requested", None, None)
    assert payout_entries() == []
    assert rot.pot(1) == Decimal("18000.00")
    assert rot.round(1).status != RoundStatus.PAID
    [signature] = Signature.objects.all()
    assert (signature.kind, signature.target_id, signature.membership_id) == (
        "payout",
        payout.pk,
        rot.chair.pk,
    )
    assert (signature.decision, signature.comment, signature.chama_id) == (
        "approve",
        "Pot is complete",
        rot.chama.pk,
    )

    # And when the secretary signs, the pot is paid exactly as one signature paid it before
    payout = payout_approve(payout=payout, acting=rot.secretary)
    assert (payout.status, payout.decided_by_id) == ("completed", rot.secretary.user_id)
    [entry] = payout_entries()
    assert legs(entry) == [("1030", "C", Decimal("18000.00")), ("2200", "D", Decimal("18000.00"))]
    assert payout.sent_entry_id == entry.pk
    assert rot.pot(1) == Decimal("0.00")
    assert signed(payout) == [
        (rot.chair.member_code, "approve"),
        (rot.secretary.member_code, "approve"),
    ]


def test_the_maker_never_counts(rot):
    rules(rot, payout={"signatures": 2})
    payout_approve(payout=rot.payout, acting=rot.chair)

    with pytest.raises(PermissionDeniedError) as refused:
        payout_approve(payout=rot.payout, acting=rot.treasurer)

    assert refused.value.code == "same_official"
    assert signed(rot.payout) == [(rot.chair.member_code, "approve")]
    assert Payout.objects.get().status == PayoutStatus.REQUESTED


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AUDITOR])
def test_a_signature_of_a_non_official_is_refused_and_nothing_is_written(rot, role):
    rules(rot, payout={"signatures": 2})
    outsider = add_member(rot.chama, role=role)

    with pytest.raises(PermissionDeniedError) as refused:
        payout_approve(payout=rot.payout, acting=outsider)

    assert refused.value.code == "not_official"
    assert refused.value.message == "Only an official of the chama can approve its payouts."
    assert Signature.objects.count() == 0


def test_an_official_signs_once(rot):
    rules(rot, payout={"signatures": 2})
    payout_approve(payout=rot.payout, acting=rot.chair)

    with pytest.raises(ConflictError) as refused:
        payout_approve(payout=rot.payout, acting=rot.chair)

    assert (refused.value.code, refused.value.message) == ("already_signed", ALREADY_SIGNED)
    assert signed(rot.payout) == [(rot.chair.member_code, "approve")]
    assert Payout.objects.get().status == PayoutStatus.REQUESTED
    assert payout_entries() == []

    # Nor may they reject what they approved
    with pytest.raises(ConflictError) as refused:
        payout_reject(payout=rot.payout, acting=rot.chair, reason="Changed my mind")
    assert refused.value.code == "already_signed"
    assert Payout.objects.get().status == PayoutStatus.REQUESTED


def test_the_database_holds_one_signature_per_signer(rot):
    payout_approve(payout=rot.payout, acting=rot.chair)
    again = Signature.objects.get()
    again.pk = None

    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.bulk_create([again])


def test_the_database_refuses_an_unknown_decision(rot):
    payout_approve(payout=rot.payout, acting=rot.chair)

    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.update(decision="abstain")


# --- the chair above the threshold ----------------------------------------------------------


def test_above_the_threshold_the_chair_must_be_among_the_signers(rot):
    rules(rot, payout={"signatures": 2, "chair_threshold": "10000.00"})

    # When two secretaries sign a payout of 18,000
    payout_approve(payout=rot.payout, acting=rot.secretary)
    payout = payout_approve(payout=rot.payout, acting=rot.secretary2)

    # Then it still waits, for the chair
    assert Payout.objects.get().status == PayoutStatus.REQUESTED
    assert payout_entries() == []

    # And the chair's signature, the third, pays it
    payout = payout_approve(payout=payout, acting=rot.chair)
    assert payout.status == PayoutStatus.COMPLETED
    [entry] = payout_entries()
    assert legs(entry) == [("1030", "C", Decimal("18000.00")), ("2200", "D", Decimal("18000.00"))]


def test_at_or_below_the_threshold_any_two_officials_suffice(rot):
    rules(rot, payout={"signatures": 2, "chair_threshold": "18000.00"})

    payout_approve(payout=rot.payout, acting=rot.secretary)
    payout = payout_approve(payout=rot.payout, acting=rot.secretary2)

    assert payout.status == PayoutStatus.COMPLETED


def test_with_one_signature_above_the_threshold_only_the_chairs_approves(rot):
    rules(rot, payout={"chair_threshold": "1000.00"})

    payout_approve(payout=rot.payout, acting=rot.secretary)
    assert Payout.objects.get().status == PayoutStatus.REQUESTED

    assert payout_approve(payout=rot.payout, acting=rot.chair).status == PayoutStatus.COMPLETED


# --- any rejection rejects ------------------------------------------------------------------


def test_a_rejection_after_an_approval_rejects(rot):
    rules(rot, payout={"signatures": 2})
    payout_approve(payout=rot.payout, acting=rot.chair)

    payout = payout_reject(payout=rot.payout, acting=rot.secretary, reason="Wrong recipient")

    assert (payout.status, payout.rejection_reason) == ("rejected", "Wrong recipient")
    assert payout.decided_by_id == rot.secretary.user_id
    assert rot.round(1).status == RoundStatus.OPEN
    assert payout_entries() == []
    assert rot.pot(1) == Decimal("18000.00")
    assert signed(payout) == [
        (rot.chair.member_code, "approve"),
        (rot.secretary.member_code, "reject"),
    ]
    assert Signature.objects.get(decision="reject").comment == "Wrong recipient"


def test_the_requester_may_still_withdraw_and_it_is_recorded(rot):
    payout = payout_reject(payout=rot.payout, acting=rot.treasurer, reason="Asked too early")

    assert (payout.status, payout.decided_by_id) == ("rejected", None)
    assert signed(payout) == [(rot.treasurer.member_code, "reject")]


# --- through the API ------------------------------------------------------------------------


def test_the_api_shows_the_signatures_so_far_and_how_many_are_missing(rot, client_for):
    rules(rot, payout={"signatures": 2, "chair_threshold": "10000.00"})
    url = f"/api/v1/chamas/{rot.chama.pk}/payouts/{rot.payout.pk}/"

    # When a secretary signs with a comment
    first = client_for(rot.secretary.user).post(f"{url}approve/", {"comment": "Counted twice"})

    # Then the payout is still requested, showing the signature and the two still needed
    # (another, and the chair's above 10,000)
    assert first.status_code == 200, first.json()
    body = first.json()
    assert body["status"] == "requested"
    [signature] = body["signatures"]
    assert signature.pop("signed_at")
    assert signature == {
        "member_id": str(rot.secretary.pk),
        "full_name": rot.secretary.user.full_name,
        "decision": "approve",
        "comment": "Counted twice",
    }
    assert (
        body["signatures_required"],
        body["signatures_missing"],
        body["chair_signature_required"],
    ) == (2, 1, True)

    # And signing again is 409 already_signed, with nothing written
    again = client_for(rot.secretary.user).post(f"{url}approve/")
    assert again.status_code == 409
    assert again.json()["errors"][0] == {
        "code": "already_signed",
        "detail": ALREADY_SIGNED,
        "attr": None,
    }
    assert Signature.objects.count() == 1

    # And a member's signature is 403
    member = add_member(rot.chama)
    assert client_for(member.user).post(f"{url}approve/").status_code == 403

    # And the chair's signature pays the pot: the list shows it decided
    paid = client_for(rot.chair.user).post(f"{url}approve/")
    assert paid.status_code == 200, paid.json()
    assert (paid.json()["status"], paid.json()["signatures_missing"]) == ("completed", 0)
    listed = client_for(rot.chair.user).get(f"/api/v1/chamas/{rot.chama.pk}/payouts/").json()
    [row] = listed["results"]
    assert [s["decision"] for s in row["signatures"]] == ["approve", "approve"]
