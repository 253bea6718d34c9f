"""Every write to users: registration, invitations, profile, passwords."""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.exceptions import AccountsError
from accounts.models import User, normalize_email
from core.exceptions import ValidationFailed


def _check_unique(*, phone: str | None, email: str | None, exclude: User | None = None) -> None:
    users = User.objects.exclude(pk=exclude.pk) if exclude else User.objects.all()
    if phone and users.filter(phone=phone).exists():
        raise ValidationFailed(AccountsError.PHONE_TAKEN, field="phone")
    if email and users.filter(email__iexact=email).exists():
        raise ValidationFailed(AccountsError.EMAIL_TAKEN, field="email")


def _save_unique(user: User) -> User:
    """Save, turning a lost race on phone/email uniqueness into the same clear error."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        _check_unique(phone=user.phone, email=user.email, exclude=user)
        raise
    return user


@transaction.atomic
def user_register(*, phone: str, full_name: str, password: str, email: str | None = None) -> User:
    email = normalize_email(email)
    _check_unique(phone=phone, email=email)
    user = User(phone=phone, email=email, full_name=full_name)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    return _save_unique(user)


def user_get_or_invite(*, phone: str, full_name: str, email: str | None = None) -> User:
    """The user with this phone, or a new invited user.

    The phone identifies the person: an email that belongs to someone else is refused rather
    than linking that other person. Invited users have no usable password: they sign in after
    a password reset.
    """
    email = normalize_email(email)
    user = User.objects.filter(phone=phone).first()
    if user is not None:
        return user
    _check_unique(phone=phone, email=email)
    user = User(phone=phone, email=email, full_name=full_name)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    return _save_unique(user)


@transaction.atomic
def user_update(*, user: User, data: dict[str, Any]) -> User:
    """Update the profile fields a user may change themselves."""
    if "email" in data:
        data["email"] = normalize_email(data["email"])
        _check_unique(phone=None, email=data["email"], exclude=user)
    for field, value in data.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    _save_unique(user)
    return user


def _blacklist_all_refresh_tokens(user: User) -> None:
    open_tokens = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in open_tokens], ignore_conflicts=True
    )


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change the password and sign the user out everywhere else."""
    if not user.check_password(old_password):
        raise ValidationFailed(AccountsError.WRONG_PASSWORD, field="old_password")
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    _blacklist_all_refresh_tokens(user)
    return user


def user_password_reset_request(*, email: str) -> None:
    """Email a reset link if the address belongs to an active user; say nothing either way."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.PASSWORD_RESET_URL.format(uid=uid, token=token)
    transaction.on_commit(
        lambda: send_mail(
            subject="Reset your Hazina password",
            message=(
                f"Hello {user.full_name},\n\nUse this link to choose a new password:\n{link}\n\n"
                f"Your reset code: uid={uid} token={token}\n\n"
                "If you did not ask for this, ignore this email."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email or ""],
        )
    )


@transaction.atomic
def user_password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError, DjangoValidationError, User.DoesNotExist) as exc:
        raise ValidationFailed(AccountsError.INVALID_RESET_TOKEN) from exc
    if not default_token_generator.check_token(user, token):
        raise ValidationFailed(AccountsError.INVALID_RESET_TOKEN)
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    _blacklist_all_refresh_tokens(user)
    return user
