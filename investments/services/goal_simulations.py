"""A goal's simulation: the saver's own history and the option's rates handed to the pure
simulator (investments.simulator). It reads and answers; it writes nothing."""

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from core.exceptions import ValidationFailed
from core.money import money
from investments.exceptions import GoalError
from investments.models import InvestmentOption, SavingsGoal
from investments.selectors.goal_options import option_annual_rates
from investments.selectors.goals import contribution_history_monthly
from investments.services.goals import goal_dates_check, goal_option_get
from investments.simulator import Simulation, simulate

DEFAULT_PATHS = 10_000
MAX_PATHS = 100_000
DEFAULT_TARGET_PROBABILITY = Decimal("0.9")
SEED_BITS = 63


@dataclass(frozen=True)
class GoalSimulation:
    """What a simulation answers, with what it was run on (to run it again: the same seed
    and inputs give the same answer)."""

    goal: SavingsGoal
    option: InvestmentOption | None
    # The annual rates drawn from (None: cash only): the option's history.
    rates: list[Decimal] | None
    start: date
    months: int
    target_probability: Decimal
    inflation: Decimal
    history: list[Decimal]
    history_source: str
    result: Simulation

    def month_date(self, month: int) -> date:
        day: date = self.start + relativedelta(months=month)
        return day


def goal_months(*, today: date, target_date: date) -> int:
    """Whole months from today until the target date, a part month counted as one."""
    months = (target_date.year - today.year) * 12 + target_date.month - today.month
    reached: date = today + relativedelta(months=months)
    return max(1, months + (1 if reached < target_date else 0))


def goal_simulate(
    *,
    goal: SavingsGoal,
    paths: int = DEFAULT_PATHS,
    seed: int | None = None,
    target_probability: Decimal = DEFAULT_TARGET_PROBABILITY,
    inflation: Decimal | None = None,
    option_id: UUID | None = None,
    extra: Decimal = Decimal("0.00"),
) -> GoalSimulation:
    """Simulate ``paths`` futures of the goal's saver from today to its date: the chance of
    reaching it investing in the option (``option_id``, else the goal's; none: cash only)
    and in cash, the 10/50/90 percentile bands per month in today's money, and the extra
    monthly amount that brings the chance to ``target_probability``. ``extra`` adds to every
    month's contribution (to check an answer by simulating it)."""
    if paths > MAX_PATHS:
        raise ValidationFailed(GoalError.TOO_MANY_PATHS, maximum=f"{MAX_PATHS:,}", field="paths")
    today = timezone.localdate()
    goal_dates_check(target_date=goal.target_date, today=today)
    option = goal_option_get(option_id) if option_id is not None else goal.option
    rates = None
    if option is not None:
        rates = option_annual_rates(option=option)
        if not rates:
            raise ValidationFailed(GoalError.OPTION_WITHOUT_RATES, field="option_id")
    inflation = settings.INVESTMENT_INFLATION_RATE if inflation is None else inflation
    history = contribution_history_monthly(
        chama=goal.chama, membership=goal.membership, today=today
    )
    months = goal_months(today=today, target_date=goal.target_date)
    result = simulate(
        contributions=[float(amount) for amount in history.monthly],
        annual_rates=None if rates is None else [float(rate) for rate in rates],
        inflation=float(inflation),
        months=months,
        target=float(goal.target_amount),
        paths=paths,
        seed=secrets.randbits(SEED_BITS) if seed is None else seed,
        target_probability=float(target_probability),
        extra=float(money(extra)),
    )
    return GoalSimulation(
        goal=goal,
        option=option,
        rates=rates,
        start=today,
        months=months,
        target_probability=target_probability,
        inflation=inflation,
        history=history.monthly,
        history_source=history.source,
        result=result,
    )
