"""Savings goals: a member sets one for themselves; an official sets one for the chama or for
any member. A goal holds no money, so setting one posts nothing."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from core.exceptions import ValidationFailed
from core.money import MAX_AMOUNT, ZERO, money
from groups.choices import OFFICIAL_ROLES, Role
from groups.models import Chama, Membership
from groups.rules import acting_for, official_check
from investments.exceptions import GoalError
from investments.models import InvestmentOption, SavingsGoal
from investments.selectors.goal_options import option_active_get

NAME_MAX = 120
# A goal further away than this is a pension, not a chama's savings goal.
HORIZON_YEARS = 30
SETTERS = OFFICIAL_ROLES | {Role.MEMBER}


def goal_dates_check(*, target_date: date, today: date) -> None:
    """A goal's date is in the future and within the horizon (``goal_in_past``,
    ``goal_too_far``)."""
    if target_date <= today:
        raise ValidationFailed(GoalError.IN_PAST, field="target_date")
    if target_date > today + relativedelta(years=HORIZON_YEARS):
        raise ValidationFailed(GoalError.TOO_FAR, years=HORIZON_YEARS, field="target_date")


def _clean_target(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= ZERO or amount > MAX_AMOUNT or money(amount) != amount:
        raise ValidationFailed(
            GoalError.INVALID_TARGET, maximum=f"{MAX_AMOUNT:,}", field="target_amount"
        )
    return money(amount)


def goal_option_get(option_id: UUID) -> InvestmentOption:
    """An active investment option named in a request (400 ``unknown_option`` otherwise)."""
    option = option_active_get(option_id=option_id)
    if option is None:
        raise ValidationFailed(GoalError.UNKNOWN_OPTION, field="option_id")
    return option


@transaction.atomic
def goal_create(
    *,
    chama: Chama,
    acting: Membership,
    name: str,
    target_amount: Decimal,
    target_date: date,
    for_chama: bool = False,
    membership: Membership | None = None,
    option_id: UUID | None = None,
) -> SavingsGoal:
    """Set a goal: the acting member's own, another member's (officials), or the whole
        chama's (``for_chama``, officials), optionally invested in an option (``option_id``,
    simulated at its rates). Nothing is written when any rule refuses."""
    official_check(acting, chama_id=chama.pk, refused=GoalError.FOR_SELF_ONLY, roles=SETTERS)
    if for_chama:
        official_check(acting, chama_id=chama.pk, refused=GoalError.CHAMA_GOAL_OFFICIALS)
        if membership is not None:
            raise ValidationFailed(GoalError.CHAMA_GOAL_NAMES_NO_MEMBER, field="member_id")
        saver = None
    else:
        saver = acting_for(acting, membership, refused=GoalError.FOR_SELF_ONLY)
    name = name.strip()
    if not name:
        raise ValidationFailed(GoalError.NAME_REQUIRED, field="name")
    target_amount = _clean_target(target_amount)
    goal_dates_check(target_date=target_date, today=timezone.localdate())
    option = None if option_id is None else goal_option_get(option_id)
    return SavingsGoal.objects.create(
        chama=chama,
        membership=saver,
        name=name[:NAME_MAX],
        target_amount=target_amount,
        target_date=target_date,
        option=option,
        created_by=acting,
    )
