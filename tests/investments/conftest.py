"""Investments fixtures: a chama with every role and their API clients."""

import pytest


@pytest.fixture
def club(db, client_for):
    """A chama with a chair, treasurer, secretary, auditor and member, and their clients."""
    from tests.governance.meetings_fixtures import make_club

    return make_club(client_for)
