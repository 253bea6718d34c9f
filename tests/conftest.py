import os
import shutil
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.db.backends.signals import connection_created
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from accounts.notifications.backends import sms, whatsapp
from config.celery import app as celery_app
from groups.choices import MembershipStatus, Role
from groups.models import Chama, Membership
from tests.celery_worker import celery_worker
from tests.error_contract import unlisted_errors
from tests.factories import UserFactory, add_member, make_chama
from tests.groups.helpers import set_status

IN_CI = os.environ.get("CI") == "true"


def _allow_ledger_flush(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Let the test runner TRUNCATE the append-only ledger tables when it flushes the database
    between transactional tests (finance/migrations/0002_ledger_triggers.py)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET hazina.ledger_maintenance = 'on'")


connection_created.connect(_allow_ledger_flush)

# Tasks a test's services enqueue run in the test, as without Redis, unless the test starts a
# real worker (tests/celery_worker.py turns this off for its duration).
celery_app.conf.task_always_eager = True


def _skip_or_fail(reason: str) -> None:
    # In CI a skipped proof is a missing proof: fail instead of skipping.
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that uses the worker fixture is a celery_worker test, marked or not.
    for item in items:
        if "celery_worker" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.celery_worker)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if item.get_closest_marker("browser") and not shutil.which("chromium"):
        _skip_or_fail("needs Debian's chromium (apt-get install chromium)")
    if item.get_closest_marker("celery_worker") and not django_settings.REDIS_URL:
        _skip_or_fail("needs Redis for a real Celery worker: set REDIS_URL=redis://...")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # throttle counters and cached tokens must not leak between tests
    # Notifications go to in-memory outboxes (tests/accounts/notifications/ reads them).
    settings.SMS_BACKEND = "locmem"
    settings.WHATSAPP_BACKEND = "locmem"
    sms.outbox.clear()
    whatsapp.outbox.clear()


@pytest.fixture(autouse=True)
def _errors_listed_in_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every error an API test provokes carries a code the OpenAPI schema lists for its
    operation, status and input (the schema reads them from the code: a code it misses is a
    gap in core.api.error_codes, or an error made where the walk cannot follow)."""
    answer = APIClient.request

    def request(self: APIClient, **kwargs: Any) -> Any:
        response = answer(self, **kwargs)
        if response.status_code >= 400 and "json" in response.get("Content-Type", ""):
            assert unlisted_errors(response) == [], "the schema does not list these codes"
        return response

    monkeypatch.setattr(APIClient, "request", request)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[[User], APIClient]:
    """An API client signed in as the user with a real JWT access token."""

    def make(user: User) -> APIClient:
        client = APIClient()
        token = RefreshToken.for_user(user).access_token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make


@pytest.fixture
def chama(db: None) -> Chama:
    """A chama whose chair is its creator (seat 1)."""
    return make_chama()


@pytest.fixture
def roles(chama: Chama) -> dict[str, Membership]:
    """One active membership per role in ``chama``, keyed by role."""
    members = {Role.CHAIR.value: chama.memberships.get()}
    for role in (Role.TREASURER, Role.SECRETARY, Role.AUDITOR, Role.MEMBER):
        members[role.value] = add_member(chama, role=role)
    return members


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


__all__ = ["UserFactory", "celery_worker"]
