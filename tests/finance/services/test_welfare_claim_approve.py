"""Approving a welfare claim: an official other than the claimant (and other than the official
who filed it for them) decides; nothing is posted until it is paid."""

import pytest

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance.choices import WelfareClaimStatus
from finance.exceptions import FinanceError
from finance.models import JournalEntry, WelfareClaim
from finance.services.welfare import welfare_claim_approve, welfare_claim_reject
from groups.choices import Role
from groups.services import membership_update
from tests.finance.welfare import contribute, paid, submit, welfare_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    book = welfare_book()
    contribute(book)
    return book


def decision(claim):
    stored = WelfareClaim.objects.get(pk=claim.pk)
    return stored.status, stored.decided_by, stored.decided_at, stored.decision_note


@pytest.mark.parametrize("official", ["chair", "treasurer", "secretary"])
def test_an_official_approves_a_members_claim(book, official):
    claim = submit(book, book.member, "500.00")
    entries = JournalEntry.objects.count()

    result = welfare_claim_approve(
        claim=claim, acting=getattr(book, official), note=" Death certificate seen. "
    )

    status, decided_by, decided_at, note = decision(result)
    assert status == WelfareClaimStatus.APPROVED
    assert decided_by == getattr(book, official).user
    assert decided_at is not None
    assert note == "Death certificate seen."
    assert JournalEntry.objects.count() == entries  # approval moves no money


def test_an_officials_own_claim_is_approved_by_another_official(book):
    claim = submit(book, book.treasurer, "500.00")

    with pytest.raises(PermissionDeniedError) as caught:
        welfare_claim_approve(claim=claim, acting=book.treasurer)

    assert (caught.value.code, caught.value.message) == (
        "same_official",
        FinanceError.WELFARE_SAME_OFFICIAL.message,
    )
    assert decision(claim)[0] == WelfareClaimStatus.SUBMITTED
    assert welfare_claim_approve(claim=claim, acting=book.chair).status == "approved"


def test_the_official_who_filed_a_claim_for_a_member_cannot_approve_it(book):
    claim = submit(book, book.member, "500.00", by=book.secretary)

    with pytest.raises(PermissionDeniedError) as caught:
        welfare_claim_approve(claim=claim, acting=book.secretary)

    assert caught.value.code == "same_official"
    assert decision(claim)[0] == WelfareClaimStatus.SUBMITTED


@pytest.mark.parametrize("decider", ["member", "auditor"])
def test_only_officials_decide(book, decider):
    claim = submit(book, book.secretary, "500.00")

    with pytest.raises(PermissionDeniedError) as caught:
        welfare_claim_approve(claim=claim, acting=getattr(book, decider))

    assert (caught.value.code, caught.value.message) == (
        "officials_only",
        FinanceError.WELFARE_OFFICIALS_ONLY.message,
    )
    assert decision(claim)[0] == WelfareClaimStatus.SUBMITTED


def test_an_official_who_has_stepped_down_cannot_decide(book):
    claim = submit(book, book.member, "500.00")
    former = membership_update(membership=book.secretary, actor=None, data={"role": Role.MEMBER})

    with pytest.raises(PermissionDeniedError) as caught:
        welfare_claim_approve(claim=claim, acting=former)

    assert caught.value.code == "officials_only"


def test_an_official_of_another_chama_cannot_decide(book):
    claim = submit(book, book.member, "500.00")
    other = welfare_book()

    with pytest.raises(PermissionDeniedError) as caught:
        welfare_claim_approve(claim=claim, acting=other.chair)

    assert caught.value.code == "officials_only"
    assert decision(claim)[0] == WelfareClaimStatus.SUBMITTED


@pytest.mark.parametrize("state", ["approved", "rejected", "paid"])
def test_only_a_submitted_claim_can_be_approved(book, state):
    claim = submit(book, book.member, "500.00")
    if state == "approved":
        welfare_claim_approve(claim=claim, acting=book.chair)
    if state == "rejected":
        welfare_claim_reject(claim=claim, acting=book.chair, note="Duplicate")
    if state == "paid":
        claim = paid(book, book.member, "500.00")
    before = decision(claim)

    with pytest.raises(ConflictError) as caught:
        welfare_claim_approve(claim=claim, acting=book.secretary)

    assert caught.value.code == "claim_not_submitted"
    assert caught.value.message == FinanceError.WELFARE_NOT_SUBMITTED.render(status=state)
    assert decision(claim) == before


def test_a_stale_claim_object_cannot_approve_twice(book):
    # Two officials load the claim; the second approval reads the locked row, not its copy.
    claim = submit(book, book.member, "500.00")
    stale = WelfareClaim.objects.get(pk=claim.pk)
    welfare_claim_approve(claim=claim, acting=book.chair)

    with pytest.raises(ConflictError) as caught:
        welfare_claim_approve(claim=stale, acting=book.secretary)

    assert caught.value.code == "claim_not_submitted"
    assert decision(claim)[1] == book.chair.user


def test_a_note_is_at_most_255_characters(book):
    claim = submit(book, book.member, "500.00")

    with pytest.raises(ValidationFailed) as caught:
        welfare_claim_approve(claim=claim, acting=book.chair, note="n" * 256)

    assert (caught.value.code, caught.value.field) == ("max_length", "note")
    assert caught.value.message == FinanceError.WELFARE_TEXT_TOO_LONG.render(limit="255")
    assert decision(claim)[0] == WelfareClaimStatus.SUBMITTED
