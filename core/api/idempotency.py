from rest_framework import exceptions
from rest_framework.request import Request

from core.exceptions import CoreError

MAX_KEY_LENGTH = 100


def idempotency_key_of(request: Request) -> str | None:
    """The request's Idempotency-Key header, or None; an unusable key is a 400."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {
                "Idempotency-Key": [
                    exceptions.ErrorDetail(
                        CoreError.INVALID_IDEMPOTENCY_KEY.render(limit=MAX_KEY_LENGTH),
                        code=CoreError.INVALID_IDEMPOTENCY_KEY,
                    )
                ]
            }
        )
    return key
