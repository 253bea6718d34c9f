"""Submitting a welfare claim: a member for themselves, or an official for a member. Nothing
touches the ledger until the claim is paid."""

from decimal import Decimal

import pytest

from core.exceptions import PermissionDeniedError, ValidationFailed
from finance.choices import WelfareClaimStatus, WelfareClaimType
from finance.exceptions import FinanceError
from finance.models import JournalEntry, WelfareClaim
from finance.services.welfare import welfare_claim_submit
from groups.choices import MembershipStatus
from groups.exceptions import GroupsError
from groups.services import membership_update
from tests.finance.welfare import contribute, fund_available, submit, welfare_book

pytestmark = pytest.mark.django_db

INVALID_AMOUNT = FinanceError.WELFARE_INVALID_AMOUNT.render(maximum="100,000,000.00")


@pytest.fixture
def book():
    return welfare_book()


def claim(book, claimant, *, by=None, **overrides):
    data = {
        "claim_type": WelfareClaimType.BEREAVEMENT,
        "amount": Decimal("5000.00"),
        "description": "  Burial of a parent in Kakamega.  ",
    }
    data.update(overrides)
    return welfare_claim_submit(
        chama=book.chama, membership=claimant, acting=by or claimant, **data
    )


def test_a_member_claims_for_themselves(book):
    result = claim(book, book.member)

    stored = WelfareClaim.objects.get(pk=result.pk)
    assert stored.chama == book.chama
    assert stored.membership == book.member
    assert stored.submitted_by == book.member.user
    assert stored.claim_type == WelfareClaimType.BEREAVEMENT
    assert stored.amount == Decimal("5000.00")
    assert stored.description == "Burial of a parent in Kakamega."
    assert stored.status == WelfareClaimStatus.SUBMITTED
    assert (stored.decided_by, stored.paid_by, stored.paid_entry) == (None, None, None)
    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize("official", ["chair", "treasurer", "secretary"])
def test_an_official_claims_for_a_member(book, official):
    result = claim(book, book.member, by=getattr(book, official))

    assert result.membership == book.member
    assert result.submitted_by == getattr(book, official).user


@pytest.mark.parametrize(
    ("submitter", "claimant"), [("member", "secretary"), ("auditor", "member")]
)
def test_a_member_or_the_auditor_cannot_claim_for_someone_else(book, submitter, claimant):
    with pytest.raises(PermissionDeniedError) as caught:
        claim(book, getattr(book, claimant), by=getattr(book, submitter))

    assert (caught.value.code, caught.value.message) == (
        "own_claims_only",
        FinanceError.WELFARE_OWN_CLAIMS_ONLY.message,
    )
    assert WelfareClaim.objects.count() == 0


def test_an_official_of_another_chama_cannot_claim_here(book):
    other = welfare_book()

    with pytest.raises(PermissionDeniedError) as caught:
        claim(book, book.member, by=other.chair)

    assert caught.value.code == "own_claims_only"
    assert WelfareClaim.objects.count() == 0


def test_a_member_of_another_chama_is_unknown(book):
    other = welfare_book()

    with pytest.raises(ValidationFailed) as caught:
        claim(book, other.member, by=book.chair)

    assert (caught.value.code, caught.value.field) == ("unknown_member", "member_id")
    assert caught.value.message == GroupsError.UNKNOWN_MEMBER.message
    assert WelfareClaim.objects.count() == 0


@pytest.mark.parametrize("status", [MembershipStatus.SUSPENDED, MembershipStatus.EXITED])
def test_only_an_active_member_can_claim(book, status):
    gone = membership_update(membership=book.member, actor=None, data={"status": status})

    with pytest.raises(ValidationFailed) as caught:
        claim(book, gone, by=book.chair)

    assert (caught.value.code, caught.value.message) == (
        "member_not_active",
        FinanceError.WELFARE_MEMBER_NOT_ACTIVE.message,
    )
    assert WelfareClaim.objects.count() == 0


@pytest.mark.parametrize(
    "amount", ["0", "0.00", "-1.00", "0.001", "10.005", "100000000.01", "NaN", "Infinity"]
)
def test_an_amount_must_be_positive_with_two_places_and_within_the_maximum(book, amount):
    with pytest.raises(ValidationFailed) as caught:
        claim(book, book.member, amount=Decimal(amount))

    assert (caught.value.code, caught.value.field) == ("invalid_amount", "amount")
    assert caught.value.message == INVALID_AMOUNT
    assert WelfareClaim.objects.count() == 0


@pytest.mark.parametrize(
    ("amount", "stored"), [("0.01", "0.01"), ("7.5", "7.50"), ("100000000.00", "100000000.00")]
)
def test_amounts_at_the_edges_are_accepted_and_kept_to_the_cent(book, amount, stored):
    result = claim(book, book.member, amount=Decimal(amount))

    assert str(WelfareClaim.objects.get(pk=result.pk).amount) == stored


def test_the_claim_type_must_be_one_the_fund_covers(book):
    with pytest.raises(ValidationFailed) as caught:
        claim(book, book.member, claim_type="wedding")

    assert (caught.value.code, caught.value.field, caught.value.message) == (
        "invalid_claim_type",
        "claim_type",
        FinanceError.WELFARE_INVALID_TYPE.message,
    )


def test_a_description_is_at_most_2000_characters(book):
    with pytest.raises(ValidationFailed) as caught:
        claim(book, book.member, description="x" * 2001)

    assert (caught.value.code, caught.value.field) == ("max_length", "description")
    assert caught.value.message == FinanceError.WELFARE_TEXT_TOO_LONG.render(limit="2,000")
    assert claim(book, book.member, description="x" * 2000).description == "x" * 2000


def test_a_claim_larger_than_the_fund_may_be_submitted_the_fund_is_checked_at_payment(book):
    contribute(book)

    result = submit(book, book.member, "99999.00")

    assert result.status == WelfareClaimStatus.SUBMITTED
    assert fund_available(book.chama) == Decimal("1600.00")
