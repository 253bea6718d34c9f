"""goal_create: who may set a goal for whom, and the bad input it refuses with nothing
written."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import PermissionDeniedError, ValidationFailed
from investments.exceptions import GoalError
from investments.models import GoalStatus, SavingsGoal
from investments.services.goals import goal_create
from tests.investments.conftest import in_months

pytestmark = pytest.mark.django_db


def create(club, acting, **overrides):
    arguments = {
        "chama": club.chama,
        "acting": acting,
        "name": "School fees",
        "target_amount": Decimal("60000.00"),
        "target_date": in_months(24),
    }
    return goal_create(**{**arguments, **overrides})


def test_a_member_sets_their_own_goal(club, fund):
    goal = create(club, club.member, option_id=fund.pk)

    assert goal.membership == club.member
    assert goal.created_by == club.member
    assert goal.option == fund
    assert goal.status == GoalStatus.ACTIVE
    assert goal.target_amount == Decimal("60000.00")


def test_an_official_sets_one_for_a_member_and_for_the_chama(club):
    for_member = create(club, club.treasurer, membership=club.member)
    for_chama = create(club, club.chair, for_chama=True, name="Land in Kitengela")

    assert (for_member.membership, for_member.created_by) == (club.member, club.treasurer)
    assert for_chama.membership is None


def test_a_member_cannot_set_one_for_another_or_for_the_chama(club):
    with pytest.raises(PermissionDeniedError) as other:
        create(club, club.member, membership=club.treasurer)
    with pytest.raises(PermissionDeniedError) as chama:
        create(club, club.member, for_chama=True)

    assert other.value.message == GoalError.FOR_SELF_ONLY.message
    assert chama.value.message == GoalError.CHAMA_GOAL_OFFICIALS.message
    assert not SavingsGoal.objects.exists()


def test_the_auditor_writes_nothing(club):
    with pytest.raises(PermissionDeniedError):
        create(club, club.auditor)

    assert not SavingsGoal.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        ({"target_date": timezone.localdate}, "goal_in_past", GoalError.IN_PAST.message),
        (
            {"target_date": lambda: timezone.localdate() - timedelta(days=1)},
            "goal_in_past",
            GoalError.IN_PAST.message,
        ),
        (
            {"target_date": lambda: timezone.localdate() + timedelta(days=366 * 31)},
            "goal_too_far",
            "A goal's target date is at most 30 years away.",
        ),
        (
            {"target_amount": Decimal("-5.00")},
            "invalid_amount",
            "A goal's target is a positive amount with at most two decimal places, "
            "up to 100,000,000.00.",
        ),
        ({"name": "   "}, "name_required", "Name the goal."),
    ],
)
def test_bad_input_is_refused_and_nothing_written(club, overrides, code, message):
    overrides = {k: v() if callable(v) else v for k, v in overrides.items()}

    with pytest.raises(ValidationFailed) as refused:
        create(club, club.member, **overrides)

    assert (refused.value.code, refused.value.message) == (code, message)
    assert not SavingsGoal.objects.exists()


def test_a_chama_goal_names_no_member(club):
    with pytest.raises(ValidationFailed) as refused:
        create(club, club.chair, for_chama=True, membership=club.member)

    assert refused.value.code == "chama_goal_member"
    assert not SavingsGoal.objects.exists()


def test_an_unknown_or_retired_option_is_refused(club, fund):
    fund.is_active = False
    fund.save(update_fields=["is_active"])

    with pytest.raises(ValidationFailed) as refused:
        create(club, club.member, option_id=fund.pk)

    assert (refused.value.code, refused.value.field) == ("unknown_option", "option_id")
    assert not SavingsGoal.objects.exists()
