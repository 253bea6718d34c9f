"""accounts.models: how users are stored, and the rules the database itself holds."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_normalises_the_phone_and_email():
    user = User.objects.create_user("+254 712 345 678", PASSWORD, email=" Member@Example.COM ")

    user.refresh_from_db()
    assert (user.phone, user.email) == ("254712345678", "member@example.com")
    assert user.check_password(PASSWORD)
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_create_user_stores_a_blank_email_as_null():
    user = User.objects.create_user("0712345678", PASSWORD, email="", full_name="Member")

    user.refresh_from_db()
    assert user.email is None


def test_create_superuser_can_use_the_back_office():
    user = User.objects.create_superuser("0712345678", PASSWORD, full_name="Back Office")

    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (True, True)


@pytest.mark.parametrize(
    ("login", "found"),
    [
        ("0712345678", True),
        (" +254 712 345 678 ", True),
        ("MEMBER@example.com", True),
        ("0722000000", False),
        ("other@example.com", False),
        ("not a phone", False),
        ("", False),
    ],
)
def test_by_login_finds_the_user_by_email_or_any_phone_spelling(member, login, found):
    assert list(User.objects.by_login(login)) == ([member] if found else [])


def test_the_database_refuses_a_phone_that_is_not_normalised(member):
    # Bypass the model validators: the CHECK constraint must hold on its own.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=member.pk).update(phone="0712345678")

    member.refresh_from_db()
    assert member.phone == "254712345678"


def test_the_database_refuses_an_email_that_differs_only_in_case(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create(
            [User(phone="254722000000", email="MEMBER@example.com", full_name="Copy")]
        )

    assert User.objects.count() == 1


def test_the_database_allows_many_users_without_an_email():
    User.objects.bulk_create(
        [
            User(phone="254722000000", email=None, full_name="First"),
            User(phone="254722000001", email=None, full_name="Second"),
        ]
    )

    assert User.objects.filter(email__isnull=True).count() == 2


def test_the_database_refuses_a_duplicate_phone(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(phone="254712345678", full_name="Copy")])

    assert User.objects.count() == 1


def test_users_are_listed_by_name_then_phone():
    UserFactory(full_name="Beta", phone="254722000001")
    UserFactory(full_name="Alpha", phone="254722000002")
    UserFactory(full_name="Beta", phone="254722000000")

    assert list(User.objects.values_list("full_name", "phone")) == [
        ("Alpha", "254722000002"),
        ("Beta", "254722000000"),
        ("Beta", "254722000001"),
    ]
