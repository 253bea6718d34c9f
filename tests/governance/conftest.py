"""Each area's fixtures live in tests/governance/<area>_fixtures.py; made visible here."""

from tests.governance.votes_fixtures import as_role, board

__all__ = ["as_role", "board"]
