"""Option rates: a fraction above 0 and at most 1, one per option per date, the rate on a
date the latest effective on or before it."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.exceptions import ConflictError, ValidationFailed
from investments.choices import OptionKind
from investments.models import InvestmentOption, OptionRate
from investments.selectors import option_rate_history, option_rate_on, tax_setting_on
from investments.services.options import option_rate_add

pytestmark = pytest.mark.django_db


def bill() -> InvestmentOption:
    return InvestmentOption.objects.get(kind=OptionKind.TBILL_182)


@pytest.mark.parametrize("rate", ["-0.05", "9", "0", "15.75", "0.1234567"])
def test_a_rate_out_of_range_is_refused_and_nothing_written(rate: str) -> None:
    before = OptionRate.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        option_rate_add(option=bill(), annual_rate=Decimal(rate), effective_from=date(2026, 1, 1))
    assert (refused.value.code, refused.value.message) == (
        "invalid_rate",
        "An annual rate is a fraction above 0 and at most 1 (0.1575 for 15.75%).",
    )
    assert OptionRate.objects.count() == before


def test_one_rate_per_date() -> None:
    option_rate_add(option=bill(), annual_rate=Decimal("0.1"), effective_from=date(2026, 1, 1))
    with pytest.raises(ConflictError) as refused:
        option_rate_add(option=bill(), annual_rate=Decimal("0.11"), effective_from=date(2026, 1, 1))
    assert refused.value.message == "This option already has a rate from 2026-01-01."


def test_the_database_refuses_a_rate_out_of_range_around_the_orm() -> None:
    rate = OptionRate.objects.filter(option=bill()).first()
    assert rate is not None
    for bad in (Decimal("-0.05"), Decimal("9")):
        with pytest.raises(IntegrityError), transaction.atomic():
            OptionRate.objects.filter(pk=rate.pk).update(annual_rate=bad)


def test_the_rate_on_a_date_and_the_history() -> None:
    # The seeded history: 16.30% from 2024-01-01, 16.67% from 2024-07-01, 10.10% from 2025
    option = bill()
    assert option_rate_on(option, date(2023, 12, 31)) is None
    assert option_rate_on(option, date(2024, 6, 30)) == Decimal("0.1630")
    assert option_rate_on(option, date(2024, 7, 1)) == Decimal("0.1667")
    assert option_rate_history(option) == [
        (date(2024, 1, 1), Decimal("0.163000")),
        (date(2024, 7, 1), Decimal("0.166700")),
        (date(2025, 1, 1), Decimal("0.101000")),
    ]


def test_the_seeded_tax_setting() -> None:
    setting = tax_setting_on(date(2025, 3, 3))
    assert setting is not None
    assert (setting.withholding_rate, setting.day_basis) == (Decimal("0.1500"), 365)
