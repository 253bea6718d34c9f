"""POST /api/v1/auth/token/refresh/: every refresh returns a new refresh token and retires the
one it was given."""

import datetime as dt

import pytest
import time_machine
from rest_framework_simplejwt.tokens import AccessToken

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/refresh/"


def token_error(detail):
    return {
        "type": "client_error",
        "errors": [{"code": "token_not_valid", "detail": detail, "attr": None}],
    }


def test_refresh_returns_a_new_pair(member, sign_in, api):
    old = sign_in("0712345678").json()

    response = api.post(URL, {"refresh": old["refresh"]})

    assert response.status_code == 200
    new = response.json()
    assert set(new) == {"access", "refresh"}
    assert new["refresh"] != old["refresh"]
    assert AccessToken(new["access"])["user_id"] == str(member.pk)


def test_the_old_refresh_token_is_refused_after_rotation_and_the_new_one_works(
    member, sign_in, api
):
    # Given a refresh token that has been used once
    old = sign_in("0712345678").json()["refresh"]
    new = api.post(URL, {"refresh": old}).json()["refresh"]

    # When it is used again
    replay = api.post(URL, {"refresh": old})

    # Then it is refused, and the token it was exchanged for still works
    assert replay.status_code == 401
    assert replay.json() == token_error("Token is blacklisted")
    assert replay.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert api.post(URL, {"refresh": new}).status_code == 200


def test_a_garbage_refresh_token_is_refused(api):
    response = api.post(URL, {"refresh": "not-a-token"})

    assert response.status_code == 401
    assert response.json() == token_error("Token is invalid")


def test_an_access_token_is_not_a_refresh_token(member, sign_in, api):
    access = sign_in("0712345678").json()["access"]

    response = api.post(URL, {"refresh": access})

    assert response.status_code == 401
    assert response.json() == token_error("Token has wrong type")


def test_a_refresh_token_expires_after_seven_days(member, sign_in, api):
    start = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        refresh = sign_in("0712345678").json()["refresh"]

        clock.shift(dt.timedelta(days=7, seconds=1))
        response = api.post(URL, {"refresh": refresh})

    assert response.status_code == 401
    assert response.json() == token_error("Token is expired")


def test_the_refresh_field_is_required(api):
    response = api.post(URL, {})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "required", "detail": "This field is required.", "attr": "refresh"}],
    }
