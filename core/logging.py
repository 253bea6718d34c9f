"""Log records never carry the secret path segment of the Daraja callbacks: Django logs the
path of every 4xx and 5xx answer ("Bad Request: /hooks/daraja/<token>/stk/"), and anyone who
reads the logs could then post a payment confirmation."""

import logging

from django.conf import settings

REDACTED = "***"


class RedactCallbackToken(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        token = getattr(settings, "MPESA_CALLBACK_TOKEN", "")
        if token:
            message = record.getMessage()
            if token in message:
                record.msg, record.args = message.replace(token, REDACTED), ()
        return True
