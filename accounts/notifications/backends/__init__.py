"""Channel backends: how a batch of messages leaves for one channel.

A backend takes a batch and returns one ``Outcome`` per message; it never raises for one
message's failure (a refused number is that message's outcome). Settings choose them by alias
or dotted path: ``SMS_BACKEND`` (console, locmem, africastalking), ``WHATSAPP_BACKEND``
(console, locmem); email goes through Django's ``EMAIL_BACKEND``.
"""

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.choices import Channel


@dataclass(frozen=True)
class Message:
    delivery_id: str
    to: str  # +2547XXXXXXXX for SMS and WhatsApp, an address for email
    subject: str
    body: str
    event: str
    language: str


@dataclass(frozen=True)
class Outcome:
    delivery_id: str
    ok: bool
    provider_id: str = ""
    error: str = ""


class Backend(Protocol):
    def send(self, messages: Sequence[Message]) -> list[Outcome]: ...


def accepted(messages: Sequence[Message], source: str) -> list[Outcome]:
    return [
        Outcome(m.delivery_id, ok=True, provider_id=f"{source}-{m.delivery_id}") for m in messages
    ]


class ConsoleBackend:
    """Writes each message to standard output (development); a channel says how a line reads."""

    def line(self, message: Message) -> str:
        raise NotImplementedError

    def send(self, messages: Sequence[Message]) -> list[Outcome]:
        for message in messages:
            sys.stdout.write(self.line(message) + "\n")
        return accepted(messages, "console")


class LocmemBackend:
    """Keeps what it sends in ``outbox``, in order (as django.core.mail.outbox for email);
    each channel's backend names its own module's list."""

    outbox: list[Message]

    def send(self, messages: Sequence[Message]) -> list[Outcome]:
        self.outbox.extend(messages)
        return accepted(messages, "locmem")


ALIASES = {
    Channel.SMS: {
        "console": "accounts.notifications.backends.sms.ConsoleBackend",
        "locmem": "accounts.notifications.backends.sms.LocmemBackend",
        "africastalking": "accounts.notifications.backends.sms.AfricasTalkingBackend",
    },
    Channel.WHATSAPP: {
        "console": "accounts.notifications.backends.whatsapp.ConsoleBackend",
        "locmem": "accounts.notifications.backends.whatsapp.LocmemBackend",
    },
    Channel.EMAIL: {"django": "accounts.notifications.backends.email.DjangoEmailBackend"},
}
SETTINGS: dict[str, str] = {Channel.SMS: "SMS_BACKEND", Channel.WHATSAPP: "WHATSAPP_BACKEND"}


@cache
def _backend(path: str) -> Backend:
    backend: Backend = import_string(path)()
    return backend


def backend_for(channel: str) -> Backend:
    name = getattr(settings, SETTINGS[channel]) if channel in SETTINGS else "django"
    return _backend(ALIASES[Channel(channel)].get(name, name))
