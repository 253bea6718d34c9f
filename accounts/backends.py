"""Sign in with an email or a phone number in any Kenyan format."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User
from core.phone import InvalidPhoneNumber, normalize_phone


class EmailOrPhoneBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        user = User.objects.by_login(username).first()
        if user is None:
            # Hash anyway so an unknown login takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Count failures per account, whichever spelling of it was typed (0712…, +254712…, email)."""
    credentials = credentials or {}
    # Django's failure signal keys the login by authenticate()'s keyword ("username"); axes's
    # lockout check and success handler key it by USERNAME_FIELD ("phone").
    login = str(credentials.get("username") or credentials.get(User.USERNAME_FIELD) or "").strip()
    if "@" in login:
        # An email counts against the account's phone, so switching spelling gains no guesses.
        phone = User.objects.filter(email__iexact=login).values_list("phone", flat=True).first()
        return phone or login.lower()
    try:
        return normalize_phone(login)
    except InvalidPhoneNumber:
        return login
