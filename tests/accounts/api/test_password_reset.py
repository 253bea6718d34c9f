"""POST /api/v1/auth/password/reset/ and .../confirm/: choose a new password from an email."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.exceptions import AccountsError
from accounts.services import user_get_or_invite
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/password/reset/"
CONFIRM_URL = "/api/v1/auth/password/reset/confirm/"
REFRESH_URL = "/api/v1/auth/token/refresh/"
NEW_PASSWORD = "kitty-bank-2026"
ACCEPTED_BODY = {"detail": "If the address belongs to an account, a reset link is on its way."}
INVALID_LINK_BODY = {
    "type": "client_error",
    "errors": [
        {
            "code": "invalid_reset_token",
            "detail": AccountsError.INVALID_RESET_TOKEN.message,
            "attr": None,
        }
    ],
}


@pytest.fixture
def request_reset(api, django_capture_on_commit_callbacks):
    """Ask for a reset and run what the request deferred to its commit (the email)."""

    def post(email):
        with django_capture_on_commit_callbacks(execute=True):
            return api.post(URL, {"email": email})

    return post


def code_in(message):
    """The uid and token printed in the reset email."""
    match = re.search(r"uid=(\S+) token=(\S+)", message.body)
    assert match is not None, message.body
    return match.group(1), match.group(2)


def test_a_known_email_gets_one_reset_email(member, request_reset, mailoutbox):
    # When the member asks for a reset, typing their email in capitals
    response = request_reset("MEMBER@example.com")

    # Then one email goes to them with a uid and a token that identify their account
    assert response.status_code == 202
    assert response.json() == ACCEPTED_BODY
    assert len(mailoutbox) == 1
    [message] = mailoutbox
    assert message.to == ["member@example.com"]
    assert message.subject == "Reset your Hazina password"
    uid, token = code_in(message)
    assert uid == urlsafe_base64_encode(force_bytes(member.pk))
    assert default_token_generator.check_token(member, token)
    assert f"http://127.0.0.1:8000/reset-password/{uid}/{token}/" in message.body


def test_an_unknown_email_gets_the_same_answer_and_no_email(
    member, api, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as deferred:
        response = api.post(URL, {"email": "nobody@example.com"})

    assert response.status_code == 202
    assert response.json() == ACCEPTED_BODY
    assert deferred == []
    assert mailoutbox == []


def test_an_inactive_users_email_gets_no_email(request_reset, mailoutbox):
    UserFactory(email="gone@example.com", is_active=False)

    response = request_reset("gone@example.com")

    assert response.status_code == 202
    assert response.json() == ACCEPTED_BODY
    assert mailoutbox == []


def test_a_malformed_email_is_refused(api, mailoutbox):
    response = api.post(URL, {"email": "not-an-email"})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "invalid", "detail": "Enter a valid email address.", "attr": "email"}],
    }
    assert mailoutbox == []


def test_the_emailed_code_sets_a_new_password_once(member, request_reset, mailoutbox, api, sign_in):
    # Given the member is signed in somewhere and asked for a reset
    old_refresh = sign_in("0712345678").json()["refresh"]
    request_reset("member@example.com")
    uid, token = code_in(mailoutbox[0])

    # When they confirm with the emailed code
    response = api.post(CONFIRM_URL, {"uid": uid, "token": token, "new_password": NEW_PASSWORD})

    # Then the new password signs in, the old one does not, and old sessions are signed out
    assert response.status_code == 200
    assert response.json() == {"detail": "Password set. Sign in with your new password."}
    assert sign_in("0712345678", NEW_PASSWORD).status_code == 200
    assert sign_in("0712345678", PASSWORD).status_code == 401
    assert api.post(REFRESH_URL, {"refresh": old_refresh}).status_code == 401

    # And the code cannot be used a second time
    replay = api.post(CONFIRM_URL, {"uid": uid, "token": token, "new_password": "other-pass-2026"})
    assert replay.status_code == 400
    assert replay.json() == INVALID_LINK_BODY
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_an_invited_member_chooses_a_first_password_by_reset(request_reset, mailoutbox, api):
    # Given an official added a member who never signed up
    invited = user_get_or_invite(
        phone="254733000000", full_name="Invited Member", email="invited@example.com"
    )
    assert invited.is_invited

    # When they reset their password from the email
    request_reset("invited@example.com")
    uid, token = code_in(mailoutbox[0])
    response = api.post(CONFIRM_URL, {"uid": uid, "token": token, "new_password": NEW_PASSWORD})

    # Then they can sign in
    assert response.status_code == 200
    invited.refresh_from_db()
    assert not invited.is_invited
    signed_in = api.post("/api/v1/auth/token/", {"login": "0733000000", "password": NEW_PASSWORD})
    assert signed_in.status_code == 200


def test_a_wrong_token_is_refused(member, api):
    uid = urlsafe_base64_encode(force_bytes(member.pk))

    response = api.post(
        CONFIRM_URL, {"uid": uid, "token": "abc123-0123456789abcdef", "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert response.json() == INVALID_LINK_BODY
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_the_code_expires_after_three_hours(member, request_reset, mailoutbox, api):
    start = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        request_reset("member@example.com")
        uid, token = code_in(mailoutbox[0])

        clock.shift(dt.timedelta(hours=3, seconds=1))
        response = api.post(CONFIRM_URL, {"uid": uid, "token": token, "new_password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json() == INVALID_LINK_BODY


def test_another_members_uid_does_not_take_this_token(member, request_reset, mailoutbox, api):
    other = UserFactory()
    request_reset("member@example.com")
    _, token = code_in(mailoutbox[0])

    response = api.post(
        CONFIRM_URL,
        {
            "uid": urlsafe_base64_encode(force_bytes(other.pk)),
            "token": token,
            "new_password": NEW_PASSWORD,
        },
    )

    assert response.status_code == 400
    assert response.json() == INVALID_LINK_BODY
    other.refresh_from_db()
    assert other.check_password(PASSWORD)


@pytest.mark.parametrize(
    "uid",
    [
        "!!!",  # not base64
        "abc",  # base64 of bytes that are not UTF-8
        urlsafe_base64_encode(b"not-a-uuid"),
        urlsafe_base64_encode(b"\xff\xfe"),
        urlsafe_base64_encode(force_bytes(uuid.UUID(int=1))),  # nobody has this id
        urlsafe_base64_encode(b"1" * 40),
    ],
)
def test_a_malformed_uid_is_a_400_not_a_500(member, api, uid):
    response = api.post(CONFIRM_URL, {"uid": uid, "token": "abc-def", "new_password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json() == INVALID_LINK_BODY


def test_a_weak_new_password_is_refused(member, api):
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    token = default_token_generator.make_token(member)

    response = api.post(CONFIRM_URL, {"uid": uid, "token": token, "new_password": "password"})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "password_too_common",
                "detail": "This password is too common.",
                "attr": "new_password",
            }
        ],
    }
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
