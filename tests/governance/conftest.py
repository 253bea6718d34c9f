"""Governance fixtures: each area's in tests/governance/<area>_fixtures.py, made visible here."""

import pytest

from tests.governance.votes_fixtures import as_role, board

__all__ = ["as_role", "board"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to the test's own directory, removed with it."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def club(db, client_for):
    """A chama with a chair, treasurer, secretary, auditor and member, and their clients."""
    from tests.governance.meetings_fixtures import make_club

    return make_club(client_for)
