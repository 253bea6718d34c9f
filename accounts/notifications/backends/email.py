"""Email through Django's EMAIL_BACKEND, the batch over one connection."""

from collections.abc import Sequence
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from accounts.notifications.backends import Message, Outcome


class DjangoEmailBackend:
    def send(self, messages: Sequence[Message]) -> list[Outcome]:
        outcomes = []
        with get_connection() as connection:
            for m in messages:
                msgid = make_msgid(domain="hazina")
                email = EmailMessage(
                    subject=m.subject,
                    body=m.body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[m.to],
                    headers={"Message-ID": msgid},
                    connection=connection,
                )
                try:
                    email.send()
                except Exception as exc:  # SMTP errors are one message's outcome
                    outcomes.append(Outcome(m.delivery_id, ok=False, error=str(exc)[:200]))
                else:
                    outcomes.append(Outcome(m.delivery_id, ok=True, provider_id=msgid))
        return outcomes
