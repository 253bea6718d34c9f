"""Production refuses M-Pesa settings that would let anyone credit money: the callback token
printed in the docs (or a short one), the simulator, no source allowlist, and Daraja's public
sandbox credentials against the live API. Errors under DJANGO_ENV=production; `migrate` and
`check` fail on them, and the web process refuses to start (``config.startup``)."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

DEVELOPMENT_CALLBACK_TOKEN = "local-callback-token"  # noqa: S105  (the public value refused)
MIN_CALLBACK_TOKEN_LENGTH = 32
# Daraja's public sandbox values and the simulator's defaults: fine in a test, never live.
SANDBOX_CREDENTIALS = {
    "MPESA_CONSUMER_KEY": {"simulator-key"},
    "MPESA_CONSUMER_SECRET": {"simulator-secret"},
    "MPESA_STK_SHORTCODE": {"174379"},
    "MPESA_PASSKEY": {"bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"},
    "MPESA_C2B_SHORTCODE": {"600984", "600000"},
    "MPESA_B2C_SHORTCODE": {"600992", "600000"},
    "MPESA_INITIATOR_NAME": {"testapi"},
    "MPESA_INITIATOR_PASSWORD": {"Safaricom999!*!", "Safaricom123!!"},
}


@register("security")
def mpesa_production_settings(
    app_configs: Sequence[Any] | None, **kwargs: Any
) -> list[CheckMessage]:
    if not settings.IS_PRODUCTION:
        return []
    problems: list[CheckMessage] = []
    token = settings.MPESA_CALLBACK_TOKEN
    if token == DEVELOPMENT_CALLBACK_TOKEN or len(token) < MIN_CALLBACK_TOKEN_LENGTH:
        problems.append(
            Error(
                "MPESA_CALLBACK_TOKEN is the development token or shorter than "
                f"{MIN_CALLBACK_TOKEN_LENGTH} characters: anyone who guesses it can post a "
                "payment confirmation.",
                hint="Set a long random secret, e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`.",
                id="mpesa.E001",
            )
        )
    if settings.MPESA_ENVIRONMENT == "simulator":
        problems.append(
            Error(
                "MPESA_ENVIRONMENT is 'simulator' in production.",
                hint="Set MPESA_ENVIRONMENT to 'production' (or 'sandbox' for a staging site).",
                id="mpesa.E002",
            )
        )
    if not settings.MPESA_ALLOWED_IPS:
        problems.append(
            Error(
                "MPESA_ALLOWED_IPS is empty: callbacks would be accepted from any address.",
                hint="List Safaricom's published callback addresses (see .env.example).",
                id="mpesa.E003",
            )
        )
    if settings.MPESA_ENVIRONMENT == "production":
        public = sorted(
            name
            for name, values in SANDBOX_CREDENTIALS.items()
            if getattr(settings, name) in values
        )
        if public:
            problems.append(
                Error(
                    f"{', '.join(public)}: Daraja's public sandbox or simulator values against "
                    "the live API.",
                    hint="Use the credentials of the chama platform's own Daraja app.",
                    id="mpesa.E004",
                )
            )
    elif settings.MPESA_ENVIRONMENT == "sandbox":
        problems.append(
            Warning(
                "MPESA_ENVIRONMENT is 'sandbox': no real money moves (a staging site).",
                id="mpesa.W001",
            )
        )
    return problems
