"""WhatsApp template messages: a console backend (default) and an in-memory outbox (tests).

A provider backend (Meta's Cloud API, Africa's Talking's WhatsApp) plugs in through
``WHATSAPP_BACKEND`` with the same ``send``: the template is the event's name, in the user's
language, with the rendered body as its one parameter.
"""

import sys
from collections.abc import Sequence

from accounts.notifications.backends import Message, Outcome

outbox: list[Message] = []


class ConsoleBackend:
    def send(self, messages: Sequence[Message]) -> list[Outcome]:
        for m in messages:
            sys.stdout.write(f"WhatsApp template {m.event} ({m.language}) to {m.to}: {m.body}\n")
        return [
            Outcome(m.delivery_id, ok=True, provider_id=f"console-{m.delivery_id}")
            for m in messages
        ]


class LocmemBackend:
    def send(self, messages: Sequence[Message]) -> list[Outcome]:
        outbox.extend(messages)
        return [
            Outcome(m.delivery_id, ok=True, provider_id=f"locmem-{m.delivery_id}") for m in messages
        ]
