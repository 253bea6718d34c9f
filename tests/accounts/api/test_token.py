"""POST /api/v1/auth/token/: sign in with an email or a phone in any Kenyan format."""

import datetime as dt

import pytest
import time_machine
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.exceptions import AccountsError
from accounts.services import user_get_or_invite
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

BAD_CREDENTIALS_BODY = {
    "type": "client_error",
    "errors": [
        {
            "code": "invalid_credentials",
            "detail": AccountsError.INVALID_CREDENTIALS.message,
            "attr": None,
        }
    ],
}


@pytest.mark.parametrize(
    "login",
    [
        "0712345678",
        "712345678",
        "+254712345678",
        "254712345678",
        " 0712 345 678 ",
        "member@example.com",
        "MEMBER@Example.com",
    ],
)
def test_a_member_signs_in_with_any_spelling_of_their_login(member, sign_in, client_for, login):
    # When the member signs in
    response = sign_in(login)

    # Then they get a token pair for their own account
    assert response.status_code == 200
    tokens = response.json()
    assert set(tokens) == {"access", "refresh"}
    assert AccessToken(tokens["access"])["user_id"] == str(member.pk)
    assert RefreshToken(tokens["refresh"])["user_id"] == str(member.pk)


def test_the_access_token_opens_the_api(member, sign_in, api):
    access = sign_in("0712345678").json()["access"]

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    response = api.get("/api/v1/auth/me/")

    assert response.status_code == 200
    assert response.json()["phone"] == "254712345678"


def test_signing_in_records_the_last_login(member, sign_in):
    assert member.last_login is None

    with time_machine.travel(dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC), tick=False):
        response = sign_in("0712345678")

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.last_login == dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("0712345678", "not-the-password"),  # wrong password
        ("member@example.com", "not-the-password"),
        ("0712345678", PASSWORD.upper()),  # passwords are case-sensitive
        ("0799999999", PASSWORD),  # nobody has this phone
        ("nobody@example.com", PASSWORD),
        ("not a phone", PASSWORD),
    ],
)
def test_wrong_credentials_are_refused_with_one_message(member, sign_in, login, password):
    # The same 401 for an unknown login and a wrong password, so accounts cannot be probed.
    response = sign_in(login, password)

    assert response.status_code == 401
    assert response.json() == BAD_CREDENTIALS_BODY


def test_an_inactive_user_cannot_sign_in(sign_in):
    user = UserFactory(phone="254712345678", is_active=False)

    response = sign_in("0712345678")

    assert response.status_code == 401
    assert response.json() == BAD_CREDENTIALS_BODY
    user.refresh_from_db()
    assert user.last_login is None


def test_an_invited_user_cannot_sign_in_before_choosing_a_password(sign_in):
    # Given a member an official added before they ever signed up
    user_get_or_invite(phone="254712345678", full_name="Invited Member")

    # When someone tries to sign in as them
    response = sign_in("0712345678", "any-password-at-all")

    # Then there is no password that works
    assert response.status_code == 401
    assert response.json() == BAD_CREDENTIALS_BODY


def test_missing_fields_are_each_reported(api):
    response = api.post("/api/v1/auth/token/", {})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {"code": "required", "detail": "This field is required.", "attr": "login"},
            {"code": "required", "detail": "This field is required.", "attr": "password"},
        ],
    }


@pytest.mark.parametrize(
    "payload",
    [
        {"login": ["0712345678"], "password": PASSWORD},
        {"login": {"phone": "0712345678"}, "password": PASSWORD},
        {"login": "0712345678", "password": [PASSWORD]},
    ],
)
def test_a_field_of_the_wrong_type_is_a_400_not_a_500(member, api, payload):
    response = api.post("/api/v1/auth/token/", payload)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (response.json()["type"], error["code"]) == ("validation_error", "invalid")
    assert error["detail"] == "Not a valid string."


def test_sign_in_is_throttled_per_client(member, sign_in, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/minute"})

    responses = [sign_in("0712345678") for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 429]
    [error] = responses[2].json()["errors"]
    assert (responses[2].json()["type"], error["code"], error["attr"]) == (
        "client_error",
        "throttled",
        None,
    )


def failed_sign_ins(api, count, **headers):
    """``count`` wrong-password sign-ins for unknown logins, each with its own headers."""
    return [
        api.post(
            "/api/v1/auth/token/",
            {"login": f"07120000{i:02d}", "password": "wrong"},
            **{key: value.format(i=i) for key, value in headers.items()},
        ).status_code
        for i in range(count)
    ]


def test_a_forged_forwarded_for_does_not_escape_the_throttle(api, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "5/minute"})

    # a client rotates X-Forwarded-For on every attempt, with no proxy in front of the app
    codes = failed_sign_ins(api, 8, HTTP_X_FORWARDED_FOR="10.9.{i}.1")

    assert codes == [401] * 5 + [429] * 3


def test_behind_a_proxy_the_address_it_appended_is_counted(api, settings, monkeypatch):
    settings.TRUSTED_PROXIES = 1
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "5/minute"})

    # the client forges the left end; the proxy appends the address it saw (the same one)
    forged = failed_sign_ins(api, 7, HTTP_X_FORWARDED_FOR="10.9.{i}.1, 41.90.1.7")
    # two other people behind the same proxy are counted apart
    others = failed_sign_ins(api, 2, HTTP_X_FORWARDED_FOR="41.90.2.{i}")

    assert forged == [401] * 5 + [429] * 2
    assert others == [401, 401]
