"""The constitution's welfare rules drive welfare claims: adopted, they are projected onto
finance's WelfarePolicy; a claim type with a fixed amount is claimed for exactly that, and no
claim is approved or paid from the buffer the fund keeps back. A new version's figures apply
from its adoption."""

from decimal import Decimal

import pytest

from core.exceptions import ConflictError, ValidationFailed
from finance import chart
from finance.choices import PayoutMethod, WelfareClaimStatus, WelfareClaimType
from finance.exceptions import FinanceError
from finance.models import JournalEntry, WelfarePolicy
from finance.services.welfare import welfare_claim_approve, welfare_claim_pay
from groups.models import Signature
from tests.finance.welfare import balance, fund_available
from tests.governance.welfare_fixtures import adopt, book, claim

__all__ = ["book"]

pytestmark = pytest.mark.django_db


def test_adoption_projects_the_welfare_rules_onto_the_policy(book):
    adopt(book, buffer="1000.00", bereavement="500.00", emergency="300.00")

    policy = WelfarePolicy.objects.get(chama=book.chama)
    assert (
        policy.bereavement_amount,
        policy.hospital_amount,
        policy.emergency_amount,
        policy.buffer,
    ) == (Decimal("500.00"), None, Decimal("300.00"), Decimal("1000.00"))


def test_a_chama_without_a_constitution_decides_every_amount_and_keeps_nothing_back(book):
    # Given no constitution: any amount, and the whole fund
    made = claim(book, WelfareClaimType.BEREAVEMENT, "1600.00")
    welfare_claim_approve(claim=made, acting=book.chair)
    welfare_claim_pay(claim=made, acting=book.treasurer, method=PayoutMethod.CASH)

    assert not WelfarePolicy.objects.filter(chama=book.chama).exists()
    assert fund_available(book.chama) == Decimal("0.00")


def test_an_omitted_amount_takes_the_constitutions_figure(book):
    adopt(book, bereavement="500.00")

    made = claim(book, WelfareClaimType.BEREAVEMENT)

    assert made.amount == Decimal("500.00")


def test_the_same_amount_named_is_accepted(book):
    adopt(book, bereavement="500.00")

    assert claim(book, WelfareClaimType.BEREAVEMENT, "500.00").amount == Decimal("500.00")


def test_another_amount_for_a_fixed_type_is_refused_naming_the_figure(book):
    adopt(book, bereavement="500.00")

    with pytest.raises(ValidationFailed) as caught:
        claim(book, WelfareClaimType.BEREAVEMENT, "800.00")

    assert caught.value.code == "welfare_amount_fixed"
    assert caught.value.field == "amount"
    assert caught.value.message == (
        "The constitution pays KES 500.00 for a bereavement claim, not KES 800.00: claim "
        "500.00, or leave the amount out."
    )
    assert not book.chama.welfare_claims.exists()


def test_a_type_without_a_fixed_amount_still_needs_one(book):
    adopt(book, bereavement="500.00")

    with pytest.raises(ValidationFailed) as caught:
        claim(book, WelfareClaimType.HOSPITAL)

    assert (caught.value.code, caught.value.field) == ("welfare_amount_required", "amount")
    assert caught.value.message == FinanceError.WELFARE_AMOUNT_REQUIRED.render(
        claim_type="hospital bill"
    )
    assert claim(book, WelfareClaimType.HOSPITAL, "1234.50").amount == Decimal("1234.50")


def test_approving_into_the_buffer_is_refused_and_writes_nothing(book):
    # Given a fund of 1,600 that keeps 1,000 back: claims can use 600
    adopt(book, buffer="1000.00")
    first = claim(book, WelfareClaimType.HOSPITAL, "500.00")
    welfare_claim_approve(claim=first, acting=book.chair)
    welfare_claim_pay(claim=first, acting=book.treasurer, method=PayoutMethod.CASH)
    second = claim(book, WelfareClaimType.EMERGENCY, "300.00")
    entries = JournalEntry.objects.count()

    # When the second claim is approved, though only 100 is above the buffer
    with pytest.raises(ConflictError) as caught:
        welfare_claim_approve(claim=second, acting=book.chair)

    # Then it is refused and the signature is undone with it
    assert caught.value.code == "welfare_buffer"
    assert caught.value.message == (
        "The constitution keeps KES 1,000.00 of the welfare fund back from claims: claims can "
        "use KES 100.00 of its KES 1,100.00, and this claim needs KES 300.00."
    )
    second.refresh_from_db()
    assert second.status == WelfareClaimStatus.SUBMITTED
    assert not Signature.objects.filter(target_id=second.pk).exists()
    assert JournalEntry.objects.count() == entries
    assert balance(book.chama, chart.WELFARE_FUND) == Decimal("-1100.00")


def test_the_buffer_may_be_reached_exactly(book):
    adopt(book, buffer="1000.00")
    made = claim(book, WelfareClaimType.HOSPITAL, "600.00")
    welfare_claim_approve(claim=made, acting=book.chair)

    paid = welfare_claim_pay(claim=made, acting=book.treasurer, method=PayoutMethod.CASH)

    assert paid.status == WelfareClaimStatus.PAID
    assert fund_available(book.chama) == Decimal("1000.00")


def test_a_new_version_applies_its_figures(book):
    # Given version 1: bereavement 500, a buffer of 1,000; a claim approved under it
    adopt(book, buffer="1000.00", bereavement="500.00")
    approved = claim(book, WelfareClaimType.BEREAVEMENT)
    welfare_claim_approve(claim=approved, acting=book.chair)

    # When version 2 pays 700 for a bereavement and keeps 1,500 back
    adopt(book, buffer="1500.00", bereavement="700.00")

    # Then a new claim is for 700, 500 is refused now
    assert claim(book, WelfareClaimType.BEREAVEMENT).amount == Decimal("700.00")
    with pytest.raises(ValidationFailed) as caught:
        claim(book, WelfareClaimType.BEREAVEMENT, "500.00")
    assert caught.value.code == "welfare_amount_fixed"
    # and the claim approved under version 1 cannot be paid from the larger buffer
    with pytest.raises(ConflictError) as refused:
        welfare_claim_pay(claim=approved, acting=book.treasurer, method=PayoutMethod.CASH)
    assert refused.value.code == "welfare_buffer"
    approved.refresh_from_db()
    assert (approved.status, approved.paid_entry_id) == (WelfareClaimStatus.APPROVED, None)
    assert fund_available(book.chama) == Decimal("1600.00")

    # When version 3 fixes no amounts and keeps nothing back, the claim is paid
    adopt(book)
    paid = welfare_claim_pay(claim=approved, acting=book.treasurer, method=PayoutMethod.CASH)
    assert paid.status == WelfareClaimStatus.PAID
    assert claim(book, WelfareClaimType.BEREAVEMENT, "42.00").amount == Decimal("42.00")
