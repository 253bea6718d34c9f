"""POST /api/v1/auth/register/: a new member signs up with a phone in any format."""

import datetime as dt

import pytest
import time_machine

from accounts.exceptions import AccountsError
from accounts.models import User
from core.exceptions import CoreError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/register/"
NEW_PASSWORD = "kitty-bank-2026"


def body(**overrides):
    data = {
        "phone": "0712345678",
        "email": "New.Member@Example.COM",
        "full_name": "New Member",
        "password": NEW_PASSWORD,
    }
    return {**data, **overrides}


def validation_error(*errors):
    return {
        "type": "validation_error",
        "errors": [{"code": code, "detail": detail, "attr": attr} for code, detail, attr in errors],
    }


def test_register_creates_the_user_with_a_normalised_phone_and_lower_case_email(api):
    # Given nobody has signed up yet
    # When a member registers with the 07… spelling and a mixed-case email
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC), tick=False):
        response = api.post(URL, body())

    # Then the user is created with the forms every other part of Hazina relies on
    assert response.status_code == 201
    user = User.objects.get()
    assert response.json() == {
        "id": str(user.pk),
        "phone": "254712345678",
        "email": "new.member@example.com",
        "full_name": "New Member",
        "national_id": "",
        "kra_pin": "",
        "language": "en",
        "date_joined": "2026-03-02T12:30:00+03:00",
    }
    assert user.phone == "254712345678"
    assert user.email == "new.member@example.com"
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    assert not user.is_superuser
    assert user.is_active


@pytest.mark.parametrize("email", ["", None])
def test_register_without_an_email_stores_none(api, email):
    data = body(phone="+254 112 345 678")
    if email is None:
        del data["email"]
    else:
        data["email"] = email

    response = api.post(URL, data)

    assert response.status_code == 201
    assert response.json()["email"] is None
    assert User.objects.get().email is None


def test_two_members_without_an_email_can_both_register(api):
    first = api.post(URL, body(phone="0712345678", email=""))
    second = api.post(URL, body(phone="0722000000", email=""))

    assert (first.status_code, second.status_code) == (201, 201)
    assert list(User.objects.order_by("phone").values_list("phone", "email")) == [
        ("254712345678", None),
        ("254722000000", None),
    ]


@pytest.mark.parametrize("phone", ["+254 712 345 678", "712345678", "254712345678"])
def test_a_phone_taken_in_another_spelling_is_refused(api, phone):
    # Given a member registered as 0712 345 678
    UserFactory(phone="254712345678")

    # When someone registers the same number spelled differently
    response = api.post(URL, body(phone=phone))

    # Then nothing is written and the error points at the phone
    assert response.status_code == 400
    assert response.json() == validation_error(
        ("phone_taken", AccountsError.PHONE_TAKEN.message, "phone")
    )
    assert User.objects.count() == 1


def test_an_email_taken_in_another_case_is_refused(api):
    UserFactory(email="new.member@example.com")

    response = api.post(URL, body(email="NEW.MEMBER@example.com"))

    assert response.status_code == 400
    assert response.json() == validation_error(
        ("email_taken", AccountsError.EMAIL_TAKEN.message, "email")
    )
    assert User.objects.count() == 1


def test_a_weak_password_is_refused_with_every_reason(api):
    response = api.post(URL, body(password="123"))

    assert response.status_code == 400
    assert response.json() == validation_error(
        (
            "password_too_short",
            "This password is too short. It must contain at least 8 characters.",
            "password",
        ),
        ("password_too_common", "This password is too common.", "password"),
        ("password_entirely_numeric", "This password is entirely numeric.", "password"),
    )
    assert not User.objects.exists()


def test_a_password_like_the_email_is_refused(api):
    response = api.post(URL, body(email="kitty.bank@example.com", password="kitty.bank@example"))

    assert response.status_code == 400
    assert response.json() == validation_error(
        ("password_too_similar", "The password is too similar to the email.", "password")
    )
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("phone", "code", "detail"),
    [
        ("0202345678", "phone_not_mobile", CoreError.PHONE_NOT_MOBILE.message),
        ("+255712345678", "phone_not_kenyan", CoreError.PHONE_NOT_KENYAN.message),
        ("07123", "invalid_phone", CoreError.INVALID_PHONE.message),
        ("hello", "invalid_phone", CoreError.INVALID_PHONE.message),
        ("0712ABCDEF", "invalid_phone", CoreError.INVALID_PHONE.message),
        ("", "blank", "This field may not be blank."),
    ],
)
def test_a_phone_that_is_not_a_kenyan_mobile_is_refused(api, phone, code, detail):
    response = api.post(URL, body(phone=phone))

    assert response.status_code == 400
    assert response.json() == validation_error((code, detail, "phone"))
    assert not User.objects.exists()


def test_fields_the_endpoint_does_not_take_are_not_stored(api):
    # The serializer ignores unknown fields (it is not strict); none of them may reach the user.
    forged_id = "00000000-0000-0000-0000-000000000001"
    response = api.post(
        URL,
        body(
            id=forged_id,
            is_staff=True,
            is_superuser=True,
            is_active=False,
            national_id="12345678",
            date_joined="2020-01-01T00:00:00Z",
        ),
    )

    assert response.status_code == 201
    user = User.objects.get()
    assert str(user.pk) != forged_id
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert user.national_id == ""
    assert user.date_joined.year != 2020


def test_a_full_name_longer_than_150_characters_is_refused(api):
    response = api.post(URL, body(full_name="N" * 151))

    assert response.status_code == 400
    assert response.json() == validation_error(
        ("max_length", "Ensure this field has no more than 150 characters.", "full_name")
    )
    assert not User.objects.exists()


def test_a_full_name_of_150_characters_is_accepted(api):
    response = api.post(URL, body(full_name="N" * 150))

    assert response.status_code == 201
    assert User.objects.get().full_name == "N" * 150


def test_missing_fields_are_each_reported(api):
    response = api.post(URL, {})

    assert response.status_code == 400
    assert response.json() == validation_error(
        ("required", "This field is required.", "phone"),
        ("required", "This field is required.", "full_name"),
        ("required", "This field is required.", "password"),
    )


@pytest.mark.parametrize(
    ("field", "value", "code", "detail"),
    [
        ("phone", ["0712345678"], "invalid", "Not a valid string."),
        ("phone", {"number": "0712345678"}, "invalid", "Not a valid string."),
        ("phone", True, "invalid", "Not a valid string."),
        ("phone", 7.12345678e8, "invalid", "Not a valid string."),  # a decimal is no phone
        ("phone", None, "null", "This field may not be null."),
        ("email", ["a@example.com"], "invalid", "Enter a valid email address."),
        ("email", "not-an-email", "invalid", "Enter a valid email address."),
        ("full_name", {"first": "New"}, "invalid", "Not a valid string."),
        ("password", ["kitty-bank-2026"], "invalid", "Not a valid string."),
    ],
)
def test_a_field_of_the_wrong_type_is_a_400_not_a_500(api, field, value, code, detail):
    response = api.post(URL, body(**{field: value}))

    assert response.status_code == 400
    assert response.json() == validation_error((code, detail, field))
    assert not User.objects.exists()


def test_a_phone_sent_as_a_json_number_is_read_as_its_digits(api):
    # 712345678 is the "7…" spelling; a JSON number cannot carry the leading 0 of 07….
    response = api.post(URL, body(phone=712345678))

    assert response.status_code == 201
    assert response.json()["phone"] == "254712345678"


def test_a_json_list_body_is_refused(api):
    response = api.post(URL, [body()])

    assert response.status_code == 400
    assert response.json() == validation_error(
        ("invalid", "Invalid data. Expected a dictionary, but got list.", "non_field_errors")
    )
    assert not User.objects.exists()


def test_malformed_json_is_refused(api):
    response = api.post(URL, '{"phone": "0712345678",', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["type"] == "client_error"
    [error] = response.json()["errors"]
    assert error["code"] == "malformed_json"
    assert error["attr"] is None
    assert error["detail"].startswith("The body is not valid JSON: ")
    assert not User.objects.exists()


def test_a_form_encoded_body_is_refused(api):
    response = api.post(URL, body(), format="multipart")

    assert response.status_code == 415
    [error] = response.json()["errors"]
    assert (response.json()["type"], error["code"], error["attr"]) == (
        "client_error",
        "unsupported_media_type",
        None,
    )
    assert not User.objects.exists()


def test_registering_needs_no_token_and_ignores_one(api, client_for):
    # A signed-in caller registering someone else gets a plain new account, nothing more.
    caller = UserFactory()

    response = client_for(caller).post(URL, body())

    assert response.status_code == 201
    assert User.objects.count() == 2
    assert User.objects.get(phone="254712345678").check_password(NEW_PASSWORD)
