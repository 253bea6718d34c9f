"""WhatsApp template messages: a console backend (default) and an in-memory outbox (tests).

A provider backend (Meta's Cloud API, Africa's Talking's WhatsApp) plugs in through
``WHATSAPP_BACKEND`` with the same ``send``: the template is the event's name, in the user's
language, with the rendered body as its one parameter.
"""

from accounts.notifications import backends
from accounts.notifications.backends import Message

outbox: list[Message] = []


class ConsoleBackend(backends.ConsoleBackend):
    def line(self, message: Message) -> str:
        return (
            f"WhatsApp template {message.event} ({message.language}) to {message.to}: "
            f"{message.body}"
        )


class LocmemBackend(backends.LocmemBackend):
    outbox = outbox
