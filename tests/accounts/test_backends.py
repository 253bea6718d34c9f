"""accounts.backends: sign in with an email or any spelling of a phone, in the API and the admin."""

import pytest
from django.contrib.auth import SESSION_KEY, authenticate
from django.test import RequestFactory

from accounts.backends import axes_username
from tests.factories import PASSWORD, UserFactory

LOGINS = [
    "0712345678",
    "712345678",
    "+254712345678",
    "254712345678",
    "+254 712 345 678",
    "member@example.com",
    "MEMBER@Example.COM",
]


def signing_in():
    # axes needs the request it counts failures against.
    return RequestFactory().post("/admin/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_authenticate_accepts_an_email_or_any_phone_spelling(member, login):
    assert authenticate(signing_in(), username=login, password=PASSWORD) == member


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("0712345678", "not-the-password"),
        ("member@example.com", "not-the-password"),
        ("0799999999", PASSWORD),
        ("nobody@example.com", PASSWORD),
        ("not a phone", PASSWORD),
        ("", PASSWORD),
    ],
)
def test_authenticate_refuses_wrong_credentials(member, login, password):
    assert authenticate(signing_in(), username=login, password=password) is None


@pytest.mark.django_db
def test_authenticate_refuses_an_inactive_user():
    UserFactory(phone="254712345678", is_active=False)

    assert authenticate(signing_in(), username="0712345678", password=PASSWORD) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        # Django's failure signal passes authenticate()'s keyword...
        ({"username": "0712345678"}, "254712345678"),
        ({"username": "+254 712 345 678"}, "254712345678"),
        # ...axes's lockout check and success handler pass USERNAME_FIELD.
        ({"phone": "712345678"}, "254712345678"),
        # An email counts against the account's phone.
        ({"username": "MEMBER@example.com"}, "254712345678"),
        ({"username": "Nobody@Example.com"}, "nobody@example.com"),
        ({"username": "not a phone"}, "not a phone"),
        ({}, ""),
        (None, ""),
    ],
)
def test_axes_counts_failures_per_account_whatever_the_spelling(member, credentials, expected):
    assert axes_username(signing_in(), credentials) == expected


@pytest.fixture
def staff(db):
    return UserFactory(phone="254712345678", email="staff@example.com", is_staff=True)


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["0712345678", "+254 712 345 678", "STAFF@example.com"])
def test_the_admin_login_form_accepts_an_email_or_any_phone_spelling(client, staff, login):
    response = client.post("/admin/login/?next=/admin/", {"username": login, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session[SESSION_KEY] == str(staff.pk)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_admin_login_form_refuses_a_wrong_password(client, staff):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "0712345678", "password": "not-it"}
    )

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response.context["form"].errors["__all__"] == [
        "Please enter the correct phone and password for a staff account. "
        "Note that both fields may be case-sensitive."
    ]


@pytest.mark.django_db
def test_the_admin_login_form_refuses_a_member_who_is_not_staff(client, member):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "0712345678", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_the_admin_login_locks_after_five_failures_in_any_spelling(client, staff):
    logins = ["0712345678", "+254712345678", "712345678", "254712345678", "staff@example.com"]
    for login in logins:
        client.post("/admin/login/?next=/admin/", {"username": login, "password": "not-it"})

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "0712345678", "password": PASSWORD}
    )

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
