"""Where Daraja is and who we are to it: the MPESA_* settings, read once per client."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class DarajaConfig:
    environment: str
    base_url: str
    consumer_key: str
    consumer_secret: str
    stk_shortcode: str
    passkey: str
    c2b_shortcode: str
    b2c_shortcode: str
    initiator_name: str
    initiator_password: str
    certificate_path: str
    timeout_seconds: float

    @classmethod
    def from_settings(cls) -> DarajaConfig:
        return cls(
            environment=settings.MPESA_ENVIRONMENT,
            base_url=settings.MPESA_BASE_URL,
            consumer_key=settings.MPESA_CONSUMER_KEY,
            consumer_secret=settings.MPESA_CONSUMER_SECRET,
            stk_shortcode=settings.MPESA_STK_SHORTCODE,
            passkey=settings.MPESA_PASSKEY,
            c2b_shortcode=settings.MPESA_C2B_SHORTCODE,
            b2c_shortcode=settings.MPESA_B2C_SHORTCODE,
            initiator_name=settings.MPESA_INITIATOR_NAME,
            initiator_password=settings.MPESA_INITIATOR_PASSWORD,
            certificate_path=settings.MPESA_CERTIFICATE_PATH,
            timeout_seconds=settings.MPESA_TIMEOUT_SECONDS,
        )
