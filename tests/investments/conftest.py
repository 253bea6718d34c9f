import pytest

from tests.investments.fixtures import Club, make_club


@pytest.fixture
def club(db: None, client_for: object) -> Club:
    """A chama with every role and an API client for each (plus outsider and anonymous)."""
    return make_club(client_for=client_for)
