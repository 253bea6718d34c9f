"""POST /api/v1/auth/password/change/: a new password signs me out everywhere else."""

import pytest

from accounts.exceptions import AccountsError
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/password/change/"
REFRESH_URL = "/api/v1/auth/token/refresh/"
NEW_PASSWORD = "kitty-bank-2026"


def test_a_wrong_current_password_is_refused(member, client_for):
    response = client_for(member).post(
        URL, {"old_password": "not-the-password", "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "wrong_password",
                "detail": AccountsError.WRONG_PASSWORD.message,
                "attr": "old_password",
            }
        ],
    }
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_a_weak_new_password_is_refused(member, client_for):
    response = client_for(member).post(URL, {"old_password": PASSWORD, "new_password": "12345678"})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "password_too_common",
                "detail": "This password is too common.",
                "attr": "new_password",
            },
            {
                "code": "password_entirely_numeric",
                "detail": "This password is entirely numeric.",
                "attr": "new_password",
            },
        ],
    }
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_changing_the_password_signs_out_every_session(member, sign_in, client_for, api):
    # Given the member is signed in on two phones
    phone_one = sign_in("0712345678").json()["refresh"]
    phone_two = sign_in("member@example.com").json()["refresh"]

    # When they change their password
    response = client_for(member).post(
        URL, {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    # Then both refresh tokens are dead
    assert response.status_code == 200
    assert response.json() == {"detail": "Password changed."}
    for refresh in (phone_one, phone_two):
        replay = api.post(REFRESH_URL, {"refresh": refresh})
        assert replay.status_code == 401
        assert replay.json()["errors"][0]["detail"] == "Token is blacklisted"

    # And only the new password signs in
    assert sign_in("0712345678", PASSWORD).status_code == 401
    assert sign_in("0712345678", NEW_PASSWORD).status_code == 200


def test_changing_the_password_needs_a_signed_in_user(api):
    response = api.post(URL, {"old_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert (error["code"], error["attr"]) == ("not_authenticated", None)
