"""Our values in the shapes Daraja's request fields take, within the limits it sets."""

from __future__ import annotations

import base64
import re
from zoneinfo import ZoneInfo

from django.utils import timezone

from core.phone import normalize_phone

NAIROBI = ZoneInfo("Africa/Nairobi")

STK_AMOUNT_RANGE = (1, 250_000)
B2C_AMOUNT_RANGE = (10, 250_000)
C2B_AMOUNT_RANGE = (1, 250_000)
ACCOUNT_REFERENCE_MAX = 12
TRANSACTION_DESC_MAX = 13
REMARKS_MAX = 100
C2B_RESPONSE_TYPES = ("Completed", "Cancelled")


def daraja_phone(phone: str) -> str:
    """+2547XXXXXXXX (or any form core.phone accepts) → 2547XXXXXXXX, as Daraja wants it."""
    return normalize_phone(phone)


def daraja_reference(text: str, max_length: int) -> str:
    """Keep Daraja's safe characters [A-Za-z0-9-]: spaces become dashes, others are dropped."""
    kept = re.sub(r"[^A-Za-z0-9\s-]", "", text)
    cleaned = re.sub(r"[\s-]+", "-", kept.strip())[:max_length].strip("-")
    if not cleaned:
        raise ValueError(f"{text!r} has no letters or digits to send to M-Pesa.")
    return cleaned


def daraja_timestamp() -> str:
    """YYYYMMDDHHmmss in Kenyan time, as the STK Password and Timestamp need."""
    return timezone.now().astimezone(NAIROBI).strftime("%Y%m%d%H%M%S")


def stk_password(shortcode: str, passkey: str, timestamp: str) -> str:
    return base64.b64encode(f"{shortcode}{passkey}{timestamp}".encode()).decode()


def checked_amount(amount: int, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"The amount must be whole shillings, not {amount!r}.")
    if not low <= amount <= high:
        raise ValueError(f"The amount must be between {low:,} and {high:,} shillings.")
    return amount


def daraja_remarks(text: str, default: str) -> str:
    # Daraja wants 2 to 100 characters.
    text = text.strip()[:REMARKS_MAX]
    return text if len(text) >= 2 else default
