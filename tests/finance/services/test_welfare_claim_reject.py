"""Rejecting a welfare claim: an official other than the claimant, saying why. A rejected claim
is final: it cannot be approved or paid."""

import pytest

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from finance.choices import PayoutMethod, WelfareClaimStatus
from finance.exceptions import FinanceError
from finance.models import JournalEntry, WelfareClaim
from finance.services.welfare import (
    welfare_claim_approve,
    welfare_claim_pay,
    welfare_claim_reject,
)
from tests.finance.welfare import approved, contribute, submit, welfare_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    book = welfare_book()
    contribute(book)
    return book


def test_an_official_rejects_with_a_reason(book):
    claim = submit(book, book.member, "500.00")

    result = welfare_claim_reject(
        claim=claim, acting=book.secretary, note=" Not a household member. "
    )

    stored = WelfareClaim.objects.get(pk=result.pk)
    assert stored.status == WelfareClaimStatus.REJECTED
    assert stored.decided_by == book.secretary.user
    assert stored.decided_at is not None
    assert stored.decision_note == "Not a household member."


def test_a_rejected_claim_can_be_neither_approved_nor_paid(book):
    claim = welfare_claim_reject(
        claim=submit(book, book.member, "500.00"), acting=book.chair, note="No"
    )
    entries = JournalEntry.objects.count()

    with pytest.raises(ConflictError) as approving:
        welfare_claim_approve(claim=claim, acting=book.treasurer)
    with pytest.raises(ConflictError) as paying:
        welfare_claim_pay(claim=claim, acting=book.treasurer, method=PayoutMethod.CASH)

    assert approving.value.code == "claim_not_submitted"
    assert paying.value.code == "claim_not_approved"
    assert paying.value.message == FinanceError.WELFARE_NOT_APPROVED.render(status="rejected")
    assert JournalEntry.objects.count() == entries


@pytest.mark.parametrize("note", ["", "   "])
def test_a_rejection_needs_a_reason(book, note):
    claim = submit(book, book.member, "500.00")

    with pytest.raises(ValidationFailed) as caught:
        welfare_claim_reject(claim=claim, acting=book.chair, note=note)

    assert (caught.value.code, caught.value.field, caught.value.message) == (
        "note_required",
        "note",
        FinanceError.WELFARE_NOTE_REQUIRED.message,
    )
    assert WelfareClaim.objects.get(pk=claim.pk).status == WelfareClaimStatus.SUBMITTED


def test_the_claimant_cannot_reject_their_own_claim(book):
    claim = submit(book, book.chair, "500.00")

    with pytest.raises(PermissionDeniedError) as caught:
        welfare_claim_reject(claim=claim, acting=book.chair, note="Withdrawn")

    assert (caught.value.code, caught.value.message) == (
        "same_official",
        FinanceError.WELFARE_SAME_OFFICIAL.message,
    )


@pytest.mark.parametrize("decider", ["member", "auditor"])
def test_only_officials_reject(book, decider):
    claim = submit(book, book.secretary, "500.00")

    with pytest.raises(PermissionDeniedError) as caught:
        welfare_claim_reject(claim=claim, acting=getattr(book, decider), note="No")

    assert caught.value.code == "officials_only"
    assert WelfareClaim.objects.get(pk=claim.pk).status == WelfareClaimStatus.SUBMITTED


def test_an_approved_claim_cannot_then_be_rejected(book):
    claim = approved(book, book.member, "500.00")

    with pytest.raises(ConflictError) as caught:
        welfare_claim_reject(claim=claim, acting=book.secretary, note="Changed our minds")

    assert caught.value.code == "claim_not_submitted"
    assert caught.value.message == FinanceError.WELFARE_NOT_SUBMITTED.render(status="approved")
    assert WelfareClaim.objects.get(pk=claim.pk).status == WelfareClaimStatus.APPROVED
