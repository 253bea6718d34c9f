"""Investments fixtures: a chama with every role and their API clients, a rotating chama with
a month of cash history (tests/investments/idle_fixtures.py), and a money-market fund whose
rate moved."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from investments.choices import OptionKind
from investments.models import InvestmentOption, OptionRate
from tests.investments.fixtures import Club, make_club, standard_options_ensure


@pytest.fixture(autouse=True)
def _standard_options(request):
    standard_options_ensure(request)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Expense receipts go to the test's own directory, removed with it."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def club(db: None, client_for: object) -> Club:
    """A chama with every role and an API client for each (plus outsider and anonymous)."""
    return make_club(client_for=client_for)


@pytest.fixture
def umoja(db, client_for):
    """The Umoja rotating chama of tests/investments/idle_fixtures.py, its month of cash
    history lived through the services."""
    from tests.investments.idle_fixtures import umoja_history

    return umoja_history(client_for)


@pytest.fixture
def fund(db) -> InvestmentOption:
    """A money-market fund whose rate moved over two years."""
    option = InvestmentOption.objects.create(
        kind=OptionKind.MONEY_MARKET,
        name="Goal Test Money Market Fund",
        provider="Goal Test Asset Managers",
        minimum=Decimal("1000.00"),
        increment=Decimal("1.00"),
    )
    for months_ago, rate in [(24, "0.1425"), (18, "0.1310"), (12, "0.1198"), (6, "0.1105")]:
        OptionRate.objects.create(
            option=option,
            annual_rate=Decimal(rate),
            effective_from=timezone.localdate() - timedelta(days=30 * months_ago),
        )
    return option


def in_months(months: int) -> date:
    return timezone.localdate() + timedelta(days=31 * months)
