"""Production refuses to run without a shared cache: throttles and sign-in lockouts counted per
worker let an attacker multiply the limits by the number of workers, and Celery needs its
broker. (M-Pesa's own checks are in ``mpesa.checks``.)"""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register("security")
def shared_cache_in_production(
    app_configs: Sequence[Any] | None, **kwargs: Any
) -> list[CheckMessage]:
    if settings.IS_PRODUCTION and not settings.REDIS_URL:
        return [
            Error(
                "REDIS_URL is not set: throttles and lockouts would count per worker and tasks "
                "would run inside web requests.",
                hint="Point REDIS_URL at the Redis server (docker-compose.yml runs one).",
                id="core.E001",
            )
        ]
    return []
