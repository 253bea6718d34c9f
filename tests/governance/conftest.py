"""Governance fixtures: each area's in tests/governance/<area>_fixtures.py, made visible here."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from groups.choices import MembershipStatus
from groups.models import Chama, Membership
from tests.factories import UserFactory, add_member
from tests.governance.votes_fixtures import as_role, board
from tests.groups.helpers import set_status

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


@pytest.fixture
def chair_api(client_for: Callable[[User], APIClient], roles: dict[str, Membership]) -> APIClient:
    return client_for(roles["chair"].user)


@pytest.fixture
def people(chama: Chama, roles: dict[str, Membership]) -> dict[str, User | None]:
    """Everyone a permission matrix asks about, keyed by how they stand with ``chama``."""
    suspended = set_status(add_member(chama), MembershipStatus.SUSPENDED)
    exited = set_status(add_member(chama), MembershipStatus.EXITED)
    return {
        "anonymous": None,
        "outsider": UserFactory(),
        "suspended": suspended.user,
        "exited": exited.user,
        **{role: membership.user for role, membership in roles.items()},
    }
