"""Users: people who sign in with an email address or a Kenyan mobile number."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from core.models import BaseModel
from core.phone import InvalidPhoneNumber, normalize_phone, validate_phone

NATIONAL_ID_RE = r"^\d{6,9}$"
KRA_PIN_RE = r"^[AP]\d{9}[A-Z]$"


class UserQuerySet(models.QuerySet["User"]):
    def by_login(self, login: str) -> "UserQuerySet":
        """Match an email (case-insensitively) or a phone number in any Kenyan format."""
        login = (login or "").strip()
        if "@" in login:
            return self.filter(email__iexact=login)
        try:
            return self.filter(phone=normalize_phone(login))
        except InvalidPhoneNumber:
            return self.none()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def by_login(self, login: str) -> UserQuerySet:
        return self.get_queryset().by_login(login)

    def create_user(self, phone: str, password: str | None = None, **extra: Any) -> "User":
        email = extra.pop("email", None)
        user = self.model(phone=normalize_phone(phone), email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(phone, password, **extra)


def normalize_email(email: str | None) -> str | None:
    """Emails are stored lower-cased; an empty one is stored as NULL so uniqueness ignores it."""
    email = (email or "").strip().lower()
    return email or None


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    """A person. Chama membership, roles and payout phones live on ``groups.Membership``.

    A user added to a chama by an official before they ever signed up is "invited": they have no
    usable password until they reset it.
    """

    phone = models.CharField(
        max_length=12,
        unique=True,
        validators=[validate_phone],
        help_text="Kenyan mobile number, normalised to 2547XXXXXXXX or 2541XXXXXXXX.",
    )
    email = models.EmailField(max_length=254, null=True, blank=True)
    full_name = models.CharField(max_length=150)
    national_id = models.CharField(
        max_length=9,
        blank=True,
        validators=[RegexValidator(NATIONAL_ID_RE, "Enter a national ID of 6 to 9 digits.")],
    )
    kra_pin = models.CharField(
        "KRA PIN",
        max_length=11,
        blank=True,
        validators=[RegexValidator(KRA_PIN_RE, "Enter a KRA PIN such as A012345678Z.")],
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to the back office (Django admin)."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "phone"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(phone__regex=r"^254[17][0-9]{8}$"),
                name="accounts_user_phone_normalised",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.phone})"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ", 1)[0] or self.phone

    @property
    def is_invited(self) -> bool:
        return not self.has_usable_password()
