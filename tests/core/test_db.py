"""An optimistic action runs its nested services without savepoints first, and again with
them only when one is refused: what the first attempt wrote never stays."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.db import durable, optimistic, savepoints_available
from core.exceptions import ConflictError, DomainError, ErrorCode

# A real transaction: inside a test's own, the action's block would be a savepoint itself.
pytestmark = pytest.mark.django_db(transaction=True)


class _Refusal(ErrorCode):
    REFUSED = "refused", "Refused."


@durable
def _user_add(*, phone: str, refuse: bool = False) -> User:
    user = User.objects.create_user(phone=phone, password=None)
    if refuse:
        raise ConflictError(_Refusal.REFUSED)
    return user


def _action(refuse: bool, attempts: list[bool]):
    @optimistic
    def run() -> str:
        attempts.append(savepoints_available())
        User.objects.create_user(phone=f"25470000000{len(attempts)}", password=None)
        try:
            _user_add(phone="254711111111", refuse=refuse, nested=True)
        except DomainError as exc:
            return exc.code
        return "added"

    return run


def test_an_action_whose_nested_service_succeeds_runs_once_without_savepoints():
    attempts: list[bool] = []

    with CaptureQueriesContext(connection) as ctx:
        outcome = _action(refuse=False, attempts=attempts)()

    assert (outcome, attempts) == ("added", [False])
    assert not [q for q in ctx.captured_queries if "SAVEPOINT" in q["sql"]]
    assert sorted(User.objects.values_list("phone", flat=True)) == [
        "254700000001",
        "254711111111",
    ]


def test_a_refusal_undoes_the_first_attempt_and_the_second_handles_it_in_a_savepoint():
    attempts: list[bool] = []

    outcome = _action(refuse=True, attempts=attempts)()

    # The first attempt's own user (…001) and the nested one are gone; the second attempt
    # kept its own user (…002) and rolled the refused nested service back to its savepoint.
    assert (outcome, attempts) == ("refused", [False, True])
    assert list(User.objects.values_list("phone", flat=True)) == ["254700000002"]
