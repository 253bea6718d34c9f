"""Users: people who sign in with an email address or a Kenyan mobile number."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.choices import Channel, DeliveryStatus, Language
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
    language = models.CharField(
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text="The language of the notifications this user receives.",
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


class Notification(BaseModel):
    """One event told to one user: the in-app inbox item, rendered in the user's language when
    it was made (a later change of language does not rewrite the inbox).

    ``key`` is the event's natural key (``contribution_due:<due>:<days>``): a user never holds
    two notifications with one key, so a job that runs twice tells nobody twice. ``chama_id``
    is a plain UUID: accounts sits below groups and cannot point at a chama.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=60)
    key = models.CharField(max_length=200, null=True, blank=True)
    chama_id = models.UUIDField(null=True, blank=True, db_index=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    context = models.JSONField(default=dict, blank=True)
    urgent = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=models.Q(key__isnull=False),
                name="accounts_notification_user_key_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                name="accounts_notification_inbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.user_id}"


class NotificationDelivery(BaseModel):
    """A notification's trip through one channel (SMS, email, WhatsApp), with its outcome.

    A skipped delivery says why (``reason``); a deferred one waits for ``not_before`` (quiet
    hours, or a retry after a provider error); ``provider_id`` is the provider's message id.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    reason = models.CharField(max_length=200, blank=True)
    not_before = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "notification deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                name="accounts_notificationdelivery_one_per_channel",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DeliveryStatus.DEFERRED)
                | models.Q(not_before__isnull=False),
                name="accounts_notificationdelivery_deferred_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "not_before"], name="accounts_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


class NotificationPreference(BaseModel):
    """A user's channels. Without a row the defaults hold: in-app always, SMS on, email on
    (sent when the user has an address), WhatsApp off. ``muted`` turns channels off for one
    group of events: ``{"reminders": ["sms"]}``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    sms = models.BooleanField(default=True)
    email = models.BooleanField(default=True)
    whatsapp = models.BooleanField(default=False)
    muted = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["user"]

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"

    def allows(self, channel: str, group: str) -> bool:
        return bool(getattr(self, channel)) and channel not in self.muted.get(group, ())
