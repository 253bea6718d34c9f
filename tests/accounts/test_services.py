"""accounts.services: every write to users."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services
from accounts.exceptions import AccountsError
from accounts.models import User
from core.exceptions import CoreError, ValidationFailed
from tests.concurrency import run_concurrently
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "kitty-bank-2026"


def register(**overrides):
    data = {
        "phone": "254712345678",
        "full_name": "New Member",
        "password": NEW_PASSWORD,
        "email": "New@Example.com",
    }
    return services.user_register(**{**data, **overrides})


@pytest.mark.django_db
class TestUserRegister:
    def test_creates_a_user_with_a_usable_password_and_lower_case_email(self):
        user = register()

        user.refresh_from_db()
        assert (user.phone, user.email, user.full_name) == (
            "254712345678",
            "new@example.com",
            "New Member",
        )
        assert user.check_password(NEW_PASSWORD)
        assert not user.is_invited

    def test_refuses_a_taken_phone(self):
        UserFactory(phone="254712345678")

        with pytest.raises(ValidationFailed) as caught:
            register()

        assert (caught.value.message, caught.value.code, caught.value.field) == (
            AccountsError.PHONE_TAKEN.message,
            "phone_taken",
            "phone",
        )
        assert User.objects.count() == 1

    def test_refuses_a_taken_email_in_any_case(self):
        UserFactory(email="new@example.com")

        with pytest.raises(ValidationFailed) as caught:
            register(email="NEW@EXAMPLE.COM")

        assert (caught.value.message, caught.value.code, caught.value.field) == (
            AccountsError.EMAIL_TAKEN.message,
            "email_taken",
            "email",
        )
        assert User.objects.count() == 1

    def test_refuses_a_phone_that_was_not_normalised(self):
        # Callers normalise (PhoneField); the model refuses anything else.
        with pytest.raises(ValidationError) as caught:
            register(phone="0712345678")

        assert caught.value.message_dict == {"phone": [CoreError.INVALID_PHONE.message]}
        assert not User.objects.exists()


@pytest.mark.django_db
def test_a_registration_that_lost_the_race_gets_the_clear_error():
    # The uniqueness checks passed, then another request inserted the same phone before this
    # save: the IntegrityError must come back as the same domain error.
    UserFactory(phone="254712345678")
    late = User(phone="254712345678", full_name="Late Member")

    with pytest.raises(ValidationFailed) as caught:
        services._save_unique(late)

    assert caught.value.code == "phone_taken"
    assert User.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_phone_make_one_user():
    results = run_concurrently(lambda: register(email=None), times=4)

    users = [r for r in results if isinstance(r, User)]
    errors = [r for r in results if not isinstance(r, User)]
    assert len(users) == 1
    assert User.objects.count() == 1
    # Every loser gets a 400-kind error (never an IntegrityError, which would be a 500).
    assert len(errors) == 3
    assert all(isinstance(e, ValidationFailed | ValidationError) for e in errors), errors


@pytest.mark.django_db
class TestUserGetOrInvite:
    def test_returns_the_user_with_that_phone(self):
        existing = UserFactory(phone="254712345678")

        user = services.user_get_or_invite(phone="254712345678", full_name="Another Name")

        assert user == existing
        assert User.objects.count() == 1

    def test_an_email_of_another_person_is_refused_not_linked(self):
        existing = UserFactory(phone="254712345678", email="member@example.com")

        with pytest.raises(ValidationFailed) as caught:
            services.user_get_or_invite(
                phone="254722000000", full_name="Member", email="MEMBER@example.com"
            )

        assert (caught.value.code, caught.value.field) == ("email_taken", "email")
        assert list(User.objects.all()) == [existing]

    def test_invites_a_new_user_without_a_usable_password(self):
        user = services.user_get_or_invite(
            phone="254712345678", full_name="Invited Member", email="Invited@Example.com"
        )

        user.refresh_from_db()
        assert (user.phone, user.email, user.full_name) == (
            "254712345678",
            "invited@example.com",
            "Invited Member",
        )
        assert user.is_invited
        assert not user.has_usable_password()


@pytest.mark.django_db
class TestUserUpdate:
    def test_normalises_the_email(self):
        user = UserFactory()

        services.user_update(user=user, data={"email": " New@Example.com "})

        user.refresh_from_db()
        assert user.email == "new@example.com"

    def test_refuses_an_email_another_user_has(self):
        UserFactory(email="taken@example.com")
        user = UserFactory(email="mine@example.com")

        with pytest.raises(ValidationFailed) as caught:
            services.user_update(user=user, data={"email": "Taken@example.com"})

        assert (caught.value.code, caught.value.field) == ("email_taken", "email")
        user.refresh_from_db()
        assert user.email == "mine@example.com"

    def test_refuses_an_invalid_kra_pin(self):
        user = UserFactory()

        with pytest.raises(ValidationError) as caught:
            services.user_update(user=user, data={"kra_pin": "123"})

        assert caught.value.message_dict == {"kra_pin": ["Enter a KRA PIN such as A012345678Z."]}
        user.refresh_from_db()
        assert user.kra_pin == ""


@pytest.mark.django_db
class TestUserPasswordChange:
    def test_refuses_a_wrong_current_password(self):
        user = UserFactory()

        with pytest.raises(ValidationFailed) as caught:
            services.user_password_change(
                user=user, old_password="not-it", new_password=NEW_PASSWORD
            )

        assert (caught.value.message, caught.value.code, caught.value.field) == (
            AccountsError.WRONG_PASSWORD.message,
            "wrong_password",
            "old_password",
        )
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

    def test_blacklists_every_open_refresh_token_of_that_user_only(self):
        user, other = UserFactory(), UserFactory()
        for _ in range(2):
            RefreshToken.for_user(user)
        RefreshToken.for_user(other)

        services.user_password_change(user=user, old_password=PASSWORD, new_password=NEW_PASSWORD)

        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        assert BlacklistedToken.objects.filter(token__user=user).count() == 2
        assert not BlacklistedToken.objects.filter(token__user=other).exists()
        assert OutstandingToken.objects.filter(user=other).count() == 1


@pytest.mark.django_db
class TestUserPasswordReset:
    def test_request_for_an_unknown_email_defers_nothing(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as deferred:
            services.user_password_reset_request(email="nobody@example.com")

        assert deferred == []

    def test_request_sends_the_email_only_after_commit(
        self, django_capture_on_commit_callbacks, mailoutbox
    ):
        UserFactory(email="member@example.com")

        with django_capture_on_commit_callbacks() as deferred:
            services.user_password_reset_request(email=" Member@Example.com ")
            assert mailoutbox == []
        assert len(deferred) == 1

        deferred[0]()
        assert [m.to for m in mailoutbox] == [["member@example.com"]]

    @pytest.mark.parametrize("uid", ["", "!!!", "abc", "bm90LWEtdXVpZA"])
    def test_confirm_refuses_a_malformed_uid(self, uid):
        with pytest.raises(ValidationFailed) as caught:
            services.user_password_reset_confirm(uid=uid, token="t", new_password=NEW_PASSWORD)

        assert (caught.value.message, caught.value.code, caught.value.field) == (
            AccountsError.INVALID_RESET_TOKEN.message,
            "invalid_reset_token",
            None,
        )
