"""contribution_confirm and contribution_reverse: only the chair or the treasurer of the
contribution's chama reconciles; a refusal writes nothing."""

from decimal import Decimal

import pytest

from core.exceptions import PermissionDeniedError
from finance import chart
from finance.choices import ContributionStatus, PaymentMethod
from finance.exceptions import FinanceError
from finance.models import Contribution, JournalEntry
from finance.services.contributions import (
    contribution_confirm,
    contribution_record,
    contribution_reverse,
)
from groups.choices import Role
from tests.factories import appoint
from tests.finance.books import balance
from tests.finance.factories import merry_go_round

pytestmark = pytest.mark.django_db


def cash(chama, member, status=ContributionStatus.CONFIRMED):
    return contribution_record(
        chama=chama,
        membership=member,
        amount=Decimal("1000.00"),
        method=PaymentMethod.CASH,
        status=status,
    )


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.AUDITOR, Role.MEMBER])
def test_only_the_chair_or_the_treasurer_confirms_or_reverses(role):
    # Given a pending and a confirmed cash contribution, and a member holding another role
    chama, seats, _ = merry_go_round(members=3, amount="1000.00")
    chair, other = seats[0], seats[2]
    if role != Role.MEMBER:
        other = appoint(other, role, by=chair)
    pending = cash(chama, seats[1], ContributionStatus.PENDING)
    confirmed = cash(chama, seats[2])
    entries = JournalEntry.objects.count()

    # When that member confirms the one and reverses the other
    with pytest.raises(PermissionDeniedError) as confirming:
        contribution_confirm(contribution=pending, acting=other)
    with pytest.raises(PermissionDeniedError) as reversing:
        contribution_reverse(contribution=confirmed, acting=other, reason="x")

    # Then both are refused in the same words and nothing moves
    for caught in (confirming, reversing):
        assert (caught.value.code, caught.value.message) == (
            "permission_denied",
            FinanceError.CONTRIBUTIONS_RECONCILERS_ONLY.render(),
        )
    assert JournalEntry.objects.count() == entries
    assert Contribution.objects.get(pk=pending.pk).status == ContributionStatus.PENDING
    assert Contribution.objects.get(pk=confirmed.pk).status == ContributionStatus.CONFIRMED
    assert balance(chama, chart.CASH) == Decimal("1000.00")


def test_the_treasurer_confirms_and_is_recorded_as_who_did():
    chama, seats, _ = merry_go_round(members=2, amount="1000.00")
    treasurer = appoint(seats[1], Role.TREASURER, by=seats[0])
    pending = cash(chama, seats[1], ContributionStatus.PENDING)

    confirmed = contribution_confirm(contribution=pending, acting=treasurer)

    assert confirmed.status == ContributionStatus.CONFIRMED
    assert Contribution.objects.get(pk=pending.pk).confirmed_by == treasurer.user
    assert balance(chama, chart.CASH) == Decimal("1000.00")


def test_an_official_of_another_chama_cannot_reconcile_this_one():
    chama, seats, _ = merry_go_round(members=2, amount="1000.00")
    _, elsewhere, _ = merry_go_round(members=2, amount="1000.00")
    pending = cash(chama, seats[1], ContributionStatus.PENDING)

    with pytest.raises(PermissionDeniedError):
        contribution_confirm(contribution=pending, acting=elsewhere[0])

    assert Contribution.objects.get(pk=pending.pk).status == ContributionStatus.PENDING
