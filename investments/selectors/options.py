"""Reads of the investment options, their rate history and the tax settings."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from investments.models import InvestmentOption, OptionRate, TaxSetting


def option_list() -> QuerySet[InvestmentOption]:
    """The options open for placement, each with its rate history (newest first), in two
    queries however many there are."""
    return InvestmentOption.objects.filter(is_active=True).prefetch_related(
        Prefetch("rates", queryset=OptionRate.objects.order_by("-effective_from"))
    )


def option_get(*, option_id: UUID) -> InvestmentOption | None:
    return InvestmentOption.objects.filter(pk=option_id).first()


def option_rate_on(option: InvestmentOption, on: date) -> Decimal | None:
    """The option's annual rate on ``on``: the latest one effective on or before it."""
    return (
        OptionRate.objects.filter(option=option, effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("annual_rate", flat=True)
        .first()
    )


def option_rate_history(option: InvestmentOption) -> list[tuple[date, Decimal]]:
    """Every ``(effective_from, annual_rate)`` of the option, oldest first."""
    return list(
        OptionRate.objects.filter(option=option)
        .order_by("effective_from")
        .values_list("effective_from", "annual_rate")
    )


def tax_setting_on(on: date) -> TaxSetting | None:
    """The withholding rate and day basis effective on ``on``."""
    return TaxSetting.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
