"""Real threads against PostgreSQL: the chama row lock (groups.locks.chama_lock) keeps the plan
limit, seats and member codes right when officials add members at the same moment."""

import threading
from collections.abc import Callable, Iterator

import pytest

from accounts.models import User
from core.exceptions import ConflictError
from groups import services
from groups.choices import MembershipStatus, Plan
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from tests.concurrency import run_concurrently
from tests.factories import UserFactory, make_chama
from tests.groups.helpers import fill_to, reload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 10
PHONES = [f"2547110000{n:02d}" for n in range(THREADS)]


def one_each(values: list[str]) -> Callable[[], str]:
    """A thread-safe source handing each thread its own value."""
    lock = threading.Lock()
    items: Iterator[str] = iter(values)

    def take() -> str:
        with lock:
            return next(items)

    return take


def adder(chama: Chama, phones: list[str]) -> Callable[[], Membership]:
    take = one_each(phones)

    def add() -> Membership:
        return services.membership_add(
            chama=chama, actor=None, phone=take(), full_name="Mwanachama Mpya"
        )

    return add


def split(results: list[object]) -> tuple[list[Membership], list[BaseException]]:
    added = [r for r in results if isinstance(r, Membership)]
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(added) + len(failed) == len(results), results
    return added, failed


def test_free_plan_limit_holds_under_concurrent_adds():
    # Given a free chama with 8 active members
    chama = make_chama()
    fill_to(chama, 8)

    # When 10 officials add 10 different people at the same moment
    added, failed = split(run_concurrently(adder(chama, PHONES), THREADS))

    # Then exactly 2 get in and 8 are refused at the limit, with nothing half-written
    assert len(added) == 2, failed
    assert len(failed) == 8
    assert all(isinstance(e, ConflictError) for e in failed), failed
    assert {e.code for e in failed} == {"member_limit_reached"}  # type: ignore[attr-defined]
    assert {str(e) for e in failed} == {GroupsError.MEMBER_LIMIT_REACHED.render(limit=10)}
    assert chama.memberships.filter(status=MembershipStatus.ACTIVE).count() == 10
    assert sorted((m.seat, m.member_code) for m in added) == [(9, "M009"), (10, "M010")]
    assert User.objects.filter(phone__in=PHONES).count() == 2
    assert reload(chama).member_sequence == 10


def test_concurrent_adds_to_a_premium_chama_get_distinct_consecutive_seats_and_codes():
    # Given a premium chama with only its chair
    chama = make_chama(plan=Plan.PREMIUM)

    # When 10 people are added at the same moment
    added, failed = split(run_concurrently(adder(chama, PHONES), THREADS))

    # Then all get in, in seats 2..11 with codes M002..M011, none shared
    assert failed == []
    rows = list(chama.memberships.order_by("seat").values_list("seat", "member_code"))
    assert rows == [(n, f"M{n:03d}") for n in range(1, 12)]
    assert sorted(m.seat for m in added) == list(range(2, 12))
    assert reload(chama).member_sequence == 11


def test_the_same_person_added_twice_at_once_becomes_one_member():
    chama = make_chama(plan=Plan.PREMIUM)

    added, failed = split(run_concurrently(adder(chama, [PHONES[0]] * 5), 5))

    assert len(added) == 1, failed
    assert [getattr(e, "code", e) for e in failed] == ["already_member"] * 4
    assert chama.memberships.count() == 2
    assert User.objects.filter(phone=PHONES[0]).count() == 1


def test_a_chosen_code_requested_at_once_goes_to_exactly_one_chama():
    creators = [UserFactory() for _ in range(5)]
    take = one_each([str(u.pk) for u in creators])

    def create() -> Chama:
        return services.chama_create(
            creator=User.objects.get(pk=take()), name="Umoja Women", code="HAZ123"
        )

    results = run_concurrently(create, 5)

    created = [r for r in results if isinstance(r, Chama)]
    failed = [r for r in results if not isinstance(r, Chama)]
    assert len(created) == 1, failed
    assert [getattr(e, "code", e) for e in failed] == ["code_taken"] * 4
    assert list(Chama.objects.values_list("code", flat=True)) == ["HAZ123"]
    assert Membership.objects.count() == 1
