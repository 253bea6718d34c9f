"""Choices of users and their notifications."""

from django.db import models


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    KISWAHILI = "sw", "Kiswahili"


class Channel(models.TextChoices):
    """Where a notification goes besides the in-app inbox (which every notification is)."""

    SMS = "sms", "SMS"
    EMAIL = "email", "Email"
    WHATSAPP = "whatsapp", "WhatsApp"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Waiting for not_before: quiet hours, or a retry after a provider failure.
    DEFERRED = "deferred", "Deferred"
    # Claimed by a sender; one left here past the claim timeout is picked up again.
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


class SkipReason(models.TextChoices):
    PREFERENCE_OFF = "preference_off", "Turned off in the member's preferences"
    NO_EMAIL = "no_email", "The member has no email address"
