"""django-axes: five failed sign-ins in 15 minutes lock the account, however it was spelled."""

import datetime as dt

import pytest
import time_machine

from accounts.exceptions import AccountsError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
WRONG = "not-the-password"
LOCKED_BODY = {
    "type": "client_error",
    "errors": [
        {"code": "account_locked", "detail": AccountsError.ACCOUNT_LOCKED.message, "attr": None}
    ],
}
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


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def fail_five_times(sign_in):
    """Five wrong passwords, each with a different spelling of the member's login."""
    logins = ["0712345678", "+254712345678", "712345678", "254712345678", "MEMBER@example.com"]
    return [sign_in(login, WRONG) for login in logins]


def test_the_fifth_failure_in_any_spelling_locks_the_account(member, sign_in, clock):
    # When the member's account gets five wrong passwords, spelled five ways
    responses = fail_five_times(sign_in)

    # Then the first four are plain failures and the fifth locks the account
    assert [r.status_code for r in responses] == [401, 401, 401, 401, 403]
    assert [r.json() for r in responses[:4]] == [BAD_CREDENTIALS_BODY] * 4
    assert responses[4].json() == LOCKED_BODY


@pytest.mark.parametrize("login", ["0712345678", "+254 712 345 678", "member@example.com"])
def test_a_locked_account_refuses_even_the_right_password(member, sign_in, clock, login):
    fail_five_times(sign_in)

    response = sign_in(login)

    assert response.status_code == 403
    assert response.json() == LOCKED_BODY
    assert "access" not in response.json()


def test_the_lock_still_holds_just_before_15_minutes(member, sign_in, clock):
    fail_five_times(sign_in)

    clock.shift(dt.timedelta(minutes=14, seconds=59))
    response = sign_in("0712345678")

    assert response.status_code == 403
    assert response.json() == LOCKED_BODY


def test_the_member_signs_in_again_after_15_minutes(member, sign_in, clock):
    # Given the account was locked
    fail_five_times(sign_in)

    # When 15 minutes have passed since the last attempt
    clock.shift(dt.timedelta(minutes=15, seconds=1))
    response = sign_in("+254712345678")

    # Then the right password works again
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_another_account_is_not_locked(member, sign_in, clock):
    UserFactory(phone="254722000000", email="other@example.com")
    fail_five_times(sign_in)

    by_phone = sign_in("0722000000")
    by_email = sign_in("other@example.com")

    assert (by_phone.status_code, by_email.status_code) == (200, 200)


def test_failures_on_another_account_do_not_count_against_this_one(member, sign_in, clock):
    UserFactory(phone="254722000000")
    for _ in range(4):
        sign_in("0722000000", WRONG)

    responses = [sign_in("0712345678", WRONG) for _ in range(4)]

    assert [r.status_code for r in responses] == [401, 401, 401, 401]
    assert sign_in("0712345678").status_code == 200


def test_a_successful_sign_in_clears_earlier_failures(member, sign_in, clock):
    # Given four wrong passwords, then the right one
    for _ in range(4):
        sign_in("0712345678", WRONG)
    assert sign_in("0712345678").status_code == 200

    # When four more wrong passwords follow within the same 15 minutes
    later = [sign_in("+254712345678", WRONG) for _ in range(4)]

    # Then the count started again: none of them locks the account
    assert [r.status_code for r in later] == [401, 401, 401, 401]
    assert sign_in("0712345678").status_code == 200
