"""Reads of the investment options a goal is simulated against."""

from decimal import Decimal
from uuid import UUID

from investments.models import InvestmentOption, OptionRate


def option_active_get(*, option_id: UUID) -> InvestmentOption | None:
    return InvestmentOption.objects.filter(pk=option_id, is_active=True).first()


def option_annual_rates(*, option: InvestmentOption) -> list[Decimal]:
    """Every annual rate the option has had, oldest first: what a simulation draws from."""
    return list(
        OptionRate.objects.filter(option=option)
        .order_by("effective_from")
        .values_list("annual_rate", flat=True)
    )
