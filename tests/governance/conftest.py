from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from groups.choices import MembershipStatus
from groups.models import Chama, Membership
from tests.factories import UserFactory, add_member
from tests.groups.helpers import set_status


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
