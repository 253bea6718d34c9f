"""GET and PATCH /api/v1/auth/me/: my own profile."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.exceptions import AccountsError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/me/"
NOT_AUTHENTICATED_BODY = {
    "type": "client_error",
    "errors": [
        {
            "code": "not_authenticated",
            "detail": "Authentication credentials were not provided.",
            "attr": None,
        }
    ],
}


def profile(user):
    return {
        "id": str(user.pk),
        "phone": user.phone,
        "email": user.email,
        "full_name": user.full_name,
        "national_id": user.national_id,
        "kra_pin": user.kra_pin,
        "language": user.language,
        "date_joined": timezone.localtime(user.date_joined).isoformat(),
    }


def test_get_returns_my_profile(client_for):
    with time_machine.travel(dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC), tick=False):
        user = UserFactory(phone="254712345678", email="member@example.com", full_name="Member")

    response = client_for(user).get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "id": str(user.pk),
        "phone": "254712345678",
        "email": "member@example.com",
        "full_name": "Member",
        "national_id": "",
        "kra_pin": "",
        "language": "en",
        "date_joined": "2026-03-02T09:00:00+03:00",
    }


def test_patch_updates_the_profile_fields(member, client_for):
    # When the member fills in their profile
    response = client_for(member).patch(
        URL,
        {
            "full_name": "Chama Treasurer",
            "email": "Treasurer@Example.com",
            "national_id": "12345678",
            "kra_pin": "A012345678Z",
        },
    )

    # Then it is saved, with the email lower-cased
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.full_name, member.email, member.national_id, member.kra_pin) == (
        "Chama Treasurer",
        "treasurer@example.com",
        "12345678",
        "A012345678Z",
    )
    assert response.json() == profile(member)


def test_patch_changes_only_the_fields_sent(member, client_for):
    response = client_for(member).patch(URL, {"national_id": "123456"})

    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.full_name, member.email, member.national_id) == (
        "Chama Member",
        "member@example.com",
        "123456",
    )


def test_a_blank_email_removes_it(member, client_for):
    response = client_for(member).patch(URL, {"email": ""})

    assert response.status_code == 200
    assert response.json()["email"] is None
    member.refresh_from_db()
    assert member.email is None


@pytest.mark.parametrize(
    ("field", "value", "detail"),
    [
        ("kra_pin", "123", "Enter a KRA PIN such as A012345678Z."),
        ("kra_pin", "a012345678z", "Enter a KRA PIN such as A012345678Z."),
        ("national_id", "12", "Enter a national ID of 6 to 9 digits."),
        ("national_id", "12345A78", "Enter a national ID of 6 to 9 digits."),
    ],
)
def test_an_invalid_kyc_field_is_refused(member, client_for, field, value, detail):
    response = client_for(member).patch(URL, {field: value})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "invalid", "detail": detail, "attr": field}],
    }
    member.refresh_from_db()
    assert getattr(member, field) == ""


def test_an_email_another_member_uses_is_refused_whatever_its_case(member, client_for):
    UserFactory(email="taken@example.com")

    response = client_for(member).patch(URL, {"email": "TAKEN@example.com"})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {"code": "email_taken", "detail": AccountsError.EMAIL_TAKEN.message, "attr": "email"}
        ],
    }
    member.refresh_from_db()
    assert member.email == "member@example.com"


def test_keeping_my_own_email_in_another_case_is_allowed(member, client_for):
    response = client_for(member).patch(URL, {"email": "MEMBER@example.com"})

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.email == "member@example.com"


def test_a_blank_full_name_is_refused(member, client_for):
    response = client_for(member).patch(URL, {"full_name": ""})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {"code": "blank", "detail": "This field may not be blank.", "attr": "full_name"}
        ],
    }


def test_the_phone_and_access_flags_cannot_be_changed_here(member, client_for):
    # The phone is the sign-in and the M-Pesa identity: PATCH refuses it, and the access
    # flags, by name, and changes nothing.
    response = client_for(member).patch(
        URL, {"phone": "0799000000", "is_staff": True, "is_superuser": True, "full_name": "New"}
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert sorted((e["attr"], e["code"]) for e in errors) == [
        ("is_staff", "unknown_field"),
        ("is_superuser", "unknown_field"),
        ("phone", "unknown_field"),
    ]
    member.refresh_from_db()
    assert (member.phone, member.is_staff, member.is_superuser) == ("254712345678", False, False)
    assert member.full_name != "New"


def test_put_is_not_allowed(member, client_for):
    response = client_for(member).put(URL, {"full_name": "New"})

    assert response.status_code == 405
    [error] = response.json()["errors"]
    assert (error["code"], error["attr"]) == ("method_not_allowed", None)


@pytest.mark.parametrize("method", ["get", "patch"])
def test_anonymous_callers_are_refused(api, method):
    response = getattr(api, method)(URL, {} if method == "patch" else None)

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED_BODY


def test_an_expired_access_token_is_refused_with_one_error(member, client_for):
    client = client_for(member)

    with time_machine.travel(dt.timedelta(minutes=16)):
        response = client.get(URL)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "token_not_valid",
                "detail": "Given token not valid for any token type",
                "attr": None,
            }
        ],
    }


def test_a_garbage_access_token_is_refused_with_one_error(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = api.get(URL)

    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "token_not_valid",
                "detail": "Given token not valid for any token type",
                "attr": None,
            }
        ],
    }
