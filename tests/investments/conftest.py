"""Investments fixtures: a rotating chama with every role and a month of cash history
(tests/investments/idle_fixtures.py)."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Expense receipts go to the test's own directory, removed with it."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def umoja(db, client_for):
    """The Umoja rotating chama of tests/investments/idle_fixtures.py, its month of cash
    history lived through the services."""
    from tests.investments.idle_fixtures import umoja_history

    return umoja_history(client_for)
