"""SMS backends: the console (development), an in-memory outbox (tests) and Africa's Talking."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from accounts.notifications import backends
from accounts.notifications.backends import Message, Outcome

# What the locmem backend sent, in order (as django.core.mail.outbox for email).
outbox: list[Message] = []


class ConsoleBackend(backends.ConsoleBackend):
    def line(self, message: Message) -> str:
        return f"SMS to {message.to}: {message.body}"


class LocmemBackend(backends.LocmemBackend):
    outbox = outbox


# Africa's Talking answers each recipient with one of these when it accepted the message.
AT_ACCEPTED = {"Success", "Sent", "Queued", "Buffered"}


class AfricasTalkingBackend:
    """Africa's Talking's bulk SMS: one request per distinct text (a notification is the same
    text for everyone who reads its language), with every recipient of that text."""

    def __init__(self) -> None:
        import africastalking

        africastalking.initialize(settings.AFRICASTALKING_USERNAME, settings.AFRICASTALKING_API_KEY)
        self.sms = africastalking.SMS
        self.sender_id = settings.AFRICASTALKING_SENDER_ID or None

    def send(self, messages: Sequence[Message]) -> list[Outcome]:
        by_text: dict[str, list[Message]] = defaultdict(list)
        for message in messages:
            by_text[message.body].append(message)
        outcomes: list[Outcome] = []
        for text, group in by_text.items():
            outcomes.extend(self._send_one_text(text, group))
        return outcomes

    def _send_one_text(self, text: str, group: list[Message]) -> list[Outcome]:
        try:
            answer: dict[str, Any] = self.sms.send(
                text, [m.to for m in group], sender_id=self.sender_id
            )
        except Exception as exc:  # the SDK raises bare Exceptions for HTTP and API errors
            return [Outcome(m.delivery_id, ok=False, error=str(exc)[:200]) for m in group]
        by_number = {r["number"]: r for r in answer["SMSMessageData"]["Recipients"]}
        outcomes = []
        for message in group:
            recipient = by_number.get(message.to)
            if recipient is None:
                outcomes.append(Outcome(message.delivery_id, ok=False, error="not in the answer"))
            elif recipient["status"] in AT_ACCEPTED:
                outcomes.append(
                    Outcome(message.delivery_id, ok=True, provider_id=recipient["messageId"])
                )
            else:
                outcomes.append(Outcome(message.delivery_id, ok=False, error=recipient["status"]))
        return outcomes
