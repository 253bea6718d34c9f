"""Daraja's field rules: a request that breaks one is answered 400.002.02 "Invalid <field>".

Each API lists its rules in the order Daraja checks them, as (field, test) pairs; the first
field that fails is the one named in the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from mpesa.simulator import payloads
from mpesa.simulator.gateway import Reply

Rule = tuple[str, Callable[[Any], bool]]

# Daraja refuses callback URLs containing these words.
FORBIDDEN_URL_WORDS = ("mpesa", "safaricom", "query", "sql", "exec", "cmd")
MSISDN = re.compile(r"254[17]\d{8}")
CUSTOMER_PAYMENTS = ("CustomerPayBillOnline", "CustomerBuyGoodsOnline")


def bad(field: str) -> Reply:
    return payloads.gateway_error("400.002.02", f"Bad Request - Invalid {field}")


def first_missing(body: dict[str, Any], fields: tuple[str, ...]) -> Reply | None:
    for name in fields:
        if body.get(name) in (None, ""):
            return bad(name)
    return None


def first_broken(body: dict[str, Any], rules: Iterable[Rule]) -> Reply | None:
    for name, ok in rules:
        if not ok(body[name]):
            return bad(name)
    return None


def amount_between(low: int, high: int) -> Callable[[Any], bool]:
    """Whole shillings sent as a number or a string ("500"), within the limits: `int(value)` is
    then the amount."""

    def ok(value: Any) -> bool:
        if isinstance(value, bool):
            return False
        whole_float = isinstance(value, float) and value.is_integer()
        digits = isinstance(value, str) and value.strip().isascii() and value.strip().isdigit()
        if not (isinstance(value, int) or whole_float or digits):
            return False
        return low <= int(value) <= high

    return ok


def checked_amount(body: dict[str, Any]) -> int:
    """The Amount of a request that passed `amount_between`."""
    return int(body["Amount"])


def one_of(*choices: str) -> Callable[[Any], bool]:
    return lambda value: value in choices


def equal_to(expected: str) -> Callable[[Any], bool]:
    return lambda value: str(value) == expected


def at_most(length: int) -> Callable[[Any], bool]:
    return lambda value: len(str(value)) <= length


def is_msisdn(value: Any) -> bool:
    return MSISDN.fullmatch(str(value)) is not None


def is_url(value: Any) -> bool:
    text = str(value)
    parts = urlsplit(text)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not any(word in text.lower() for word in FORBIDDEN_URL_WORDS)
    )
