"""POST /api/v1/auth/logout/: retire my refresh token so it can never be used again."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from accounts.exceptions import AccountsError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/logout/"
REFRESH_URL = "/api/v1/auth/token/refresh/"
INVALID_REFRESH_BODY = {
    "type": "validation_error",
    "errors": [
        {"code": "invalid_token", "detail": AccountsError.INVALID_TOKEN.message, "attr": "refresh"}
    ],
}


def test_logout_blacklists_the_refresh_token(member, sign_in, client_for, api):
    # Given a signed-in member
    refresh = sign_in("0712345678").json()["refresh"]

    # When they log out
    response = client_for(member).post(URL, {"refresh": refresh})

    # Then the refresh token is dead
    assert response.status_code == 204
    assert response.content == b""
    again = api.post(REFRESH_URL, {"refresh": refresh})
    assert again.status_code == 401
    assert again.json()["errors"] == [
        {"code": "token_not_valid", "detail": "Token is blacklisted", "attr": None}
    ]


def test_logging_out_twice_is_refused(member, sign_in, client_for):
    refresh = sign_in("0712345678").json()["refresh"]
    client = client_for(member)
    client.post(URL, {"refresh": refresh})

    response = client.post(URL, {"refresh": refresh})

    assert response.status_code == 400
    assert response.json() == INVALID_REFRESH_BODY


def test_a_garbage_token_is_refused(member, client_for):
    response = client_for(member).post(URL, {"refresh": "not-a-token"})

    assert response.status_code == 400
    assert response.json() == INVALID_REFRESH_BODY
    assert not BlacklistedToken.objects.exists()


def test_an_access_token_is_refused(member, sign_in, client_for):
    access = sign_in("0712345678").json()["access"]

    response = client_for(member).post(URL, {"refresh": access})

    assert response.status_code == 400
    assert response.json() == INVALID_REFRESH_BODY


def test_another_users_refresh_token_is_refused_and_keeps_working(member, sign_in, client_for, api):
    # Given another member's refresh token
    UserFactory(phone="254722000000")
    theirs = sign_in("0722000000").json()["refresh"]

    # When this member tries to log it out
    response = client_for(member).post(URL, {"refresh": theirs})

    # Then it is refused and the other member is still signed in
    assert response.status_code == 400
    assert response.json() == INVALID_REFRESH_BODY
    assert not BlacklistedToken.objects.exists()
    assert api.post(REFRESH_URL, {"refresh": theirs}).status_code == 200


def test_logout_needs_a_signed_in_user(member, sign_in, api):
    refresh = sign_in("0712345678").json()["refresh"]

    response = api.post(URL, {"refresh": refresh})

    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "not_authenticated",
                "detail": "Authentication credentials were not provided.",
                "attr": None,
            }
        ],
    }
    assert not BlacklistedToken.objects.exists()


def test_the_refresh_field_is_required(member, client_for):
    response = client_for(member).post(URL, {})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "required", "detail": "This field is required.", "attr": "refresh"}],
    }
