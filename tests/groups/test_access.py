"""Back-office access follows the role: appointing an official gives staff status and the
officials group; demotion, suspension or exit takes them away unless another office remains."""

import pytest

from groups.access import OFFICIALS_GROUP
from groups.choices import MembershipStatus, Role
from groups.services import membership_add, membership_update
from tests.factories import UserFactory, add_member, make_chama

pytestmark = pytest.mark.django_db


def access(user):
    user.refresh_from_db()
    return user.is_staff, user.groups.filter(name=OFFICIALS_GROUP).exists()


def test_the_creator_of_a_chama_is_its_chair_with_back_office_access():
    chama = make_chama()

    assert access(chama.memberships.get().user) == (True, True)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.TREASURER, (True, True)),
        (Role.SECRETARY, (True, True)),
        (Role.AUDITOR, (True, True)),
        (Role.MEMBER, (False, False)),
    ],
)
def test_a_member_added_in_an_office_gets_access_and_a_plain_member_does_not(role, expected):
    chama = make_chama()
    membership = membership_add(
        chama=chama,
        actor=chama.memberships.get(),
        phone="254722000111",
        full_name="Amina Wairimu",
        role=role,
    )

    assert access(membership.user) == expected


@pytest.mark.parametrize(
    "change",
    [
        {"role": Role.MEMBER},
        {"status": MembershipStatus.SUSPENDED},
        {"status": MembershipStatus.EXITED},
    ],
)
def test_losing_the_office_takes_the_access_away(change):
    chama = make_chama()
    chair = chama.memberships.get()
    member = add_member(chama)
    treasurer = membership_update(membership=member, actor=chair, data={"role": Role.TREASURER})
    assert access(treasurer.user) == (True, True)

    membership_update(membership=treasurer, actor=chair, data=change)

    assert access(treasurer.user) == (False, False)


def test_an_office_in_another_chama_keeps_the_access():
    first, second = make_chama(), make_chama()
    first_chair, second_chair = first.memberships.get(), second.memberships.get()
    member = add_member(first)
    membership_update(membership=member, actor=first_chair, data={"role": Role.TREASURER})
    membership_add(
        chama=second,
        actor=second_chair,
        phone=member.user.phone,
        full_name=member.user.full_name,
        role=Role.SECRETARY,
    )

    membership_update(membership=member, actor=first_chair, data={"role": Role.MEMBER})

    assert access(member.user) == (True, True)


def test_staff_given_for_another_reason_is_left_alone():
    superuser = UserFactory(is_staff=True, is_superuser=True)
    chama = make_chama(creator=superuser)
    chair = chama.memberships.get()
    deputy = add_member(chama)
    deputy = membership_update(membership=deputy, actor=chair, data={"role": Role.CHAIR})

    membership_update(membership=chair, actor=deputy, data={"role": Role.MEMBER})

    superuser.refresh_from_db()
    assert superuser.is_staff
