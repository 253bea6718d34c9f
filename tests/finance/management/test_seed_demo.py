"""The demo seed: one command gives a working demo chama and back-office logins, and running it
again changes nothing."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from finance.management.commands.seed_demo import (
    ADMIN,
    DEMO_CHAMA_CODE,
    DEMO_PASSWORD,
    PEOPLE,
)
from groups.access import OFFICIAL_PERMISSIONS, OFFICIALS_GROUP
from groups.choices import MembershipStatus, Role
from groups.models import Chama, Membership
from tests.factories import UserFactory, make_chama

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "chamas": Chama.objects.count(),
        "memberships": Membership.objects.count(),
        "groups": Group.objects.count(),
        "official permissions": Group.objects.get(name=OFFICIALS_GROUP).permissions.count(),
    }


def test_running_the_seed_twice_adds_nothing_the_second_time() -> None:
    seed()
    first = counts()
    member_codes = set(Membership.objects.values_list("member_code", "user__phone"))

    seed()

    assert first == {
        "users": 7,
        "chamas": 1,
        "memberships": 6,
        "groups": 1,
        "official permissions": 33,  # groups 6, finance 12, governance 8, investments 7
    }
    assert counts() == first
    assert set(Membership.objects.values_list("member_code", "user__phone")) == member_codes
    assert Chama.objects.get().member_sequence == 6


def test_the_seed_prints_the_demo_password_and_every_login() -> None:
    out = seed()
    lines = out.splitlines()

    assert lines[0] == "Demo chama Umoja Merry-Go-Round (UMJ001) is ready."
    assert f"Every demo login uses the password: {DEMO_PASSWORD}" in lines
    assert any(ADMIN["email"] in line and ADMIN["phone"] in line for line in lines)
    for phone, email, _name, role in PEOPLE:
        assert any(line.split() == [role, email, phone] for line in lines), (role, out)
    assert seed() == out


def test_the_demo_chama_has_six_active_members_and_one_of_each_office() -> None:
    seed()

    chama = Chama.objects.get(code=DEMO_CHAMA_CODE)
    members = list(chama.memberships.select_related("user").order_by("seat"))
    assert [m.status for m in members] == [MembershipStatus.ACTIVE] * 6
    assert Counter(m.role for m in members) == {
        Role.CHAIR: 1,
        Role.TREASURER: 1,
        Role.SECRETARY: 1,
        Role.AUDITOR: 1,
        Role.MEMBER: 2,
    }
    assert [(m.user.phone, m.role) for m in members] == [(p, r) for p, _e, _n, r in PEOPLE]
    assert [(m.seat, m.member_code) for m in members] == [(n, f"M00{n}") for n in range(1, 7)]
    assert [m.receive_phone for m in members] == [p for p, *_rest in PEOPLE]
    assert chama.created_by == members[0].user
    amounts = (chama.contribution_amount, chama.rotation_amount, chama.savings_amount)
    assert (*amounts, chama.welfare_amount) == (
        Decimal("10000.00"),
        Decimal("8000.00"),
        Decimal("1500.00"),
        Decimal("500.00"),
    )


def test_officials_are_staff_in_the_officials_group_and_members_are_not() -> None:
    seed()

    group = Group.objects.get(name=OFFICIALS_GROUP)
    assert {(p.content_type.app_label, p.codename) for p in group.permissions.all()} == set(
        OFFICIAL_PERMISSIONS
    )
    for phone, _email, _name, role in PEOPLE:
        user = User.objects.get(phone=phone)
        is_official = role != Role.MEMBER
        assert (user.is_staff, user.is_superuser) == (is_official, False), role
        assert list(user.groups.all()) == ([group] if is_official else []), role
        assert user.check_password(DEMO_PASSWORD)
    admin = User.objects.get(phone=ADMIN["phone"])
    assert (admin.is_staff, admin.is_superuser, admin.email) == (True, True, ADMIN["email"])
    assert admin.check_password(DEMO_PASSWORD)


def test_a_seeded_treasurer_signs_in_to_the_back_office_and_sees_the_demo_chama(
    client: Client,
) -> None:
    seed()
    make_chama(
        UserFactory(full_name="Other Chair"), name="Not Theirs"
    )  # a chama the treasurer holds no office in
    treasurer_phone = next(p for p, _e, _n, role in PEOPLE if role == Role.TREASURER)
    local_format = "0" + treasurer_phone.removeprefix("254")

    login = client.post(
        reverse("admin:login"), {"username": local_format, "password": DEMO_PASSWORD}
    )
    chamas = client.get(reverse("admin:groups_chama_changelist"))

    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(phone=treasurer_phone).pk)
    assert [c.code for c in chamas.context["cl"].result_list] == [DEMO_CHAMA_CODE]


def test_the_seed_adds_back_what_is_missing() -> None:
    seed()
    User.objects.filter(phone=ADMIN["phone"]).delete()
    Group.objects.get(name=OFFICIALS_GROUP).permissions.clear()

    seed()

    assert User.objects.get(phone=ADMIN["phone"]).is_superuser
    assert counts()["official permissions"] == len(OFFICIAL_PERMISSIONS)
