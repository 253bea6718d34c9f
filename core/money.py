"""Money primitives: every amount is a Decimal with two places, never a float."""

import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db import models
from django.db.models import Q, Value
from django.db.models.expressions import Combinable
from rest_framework import serializers

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_DIGITS = 14
DECIMAL_PLACES = 2
# The largest amount a single money event may carry: far above any chama's real flows, low
# enough that sums over a ledger never approach the column's 14 digits.
MAX_AMOUNT = Decimal("100000000.00")


class Currency(models.TextChoices):
    KES = "KES", "Kenyan shilling"
    USD = "USD", "US dollar"
    GBP = "GBP", "Pound sterling"
    EUR = "EUR", "Euro"


def money(value: Decimal | int | str) -> Decimal:
    """Round to the cent, half-even: the one place an amount's precision is fixed."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)


def money_field(**kwargs: Any) -> models.DecimalField[Decimal, Decimal]:
    """The model field for every amount."""
    return models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs)


HALF_CENT = Decimal("0.005")


def cents_at_most(field: str, bound: Combinable) -> Q:
    """A constraint's ``field <= bound`` for amounts in whole cents, where ``bound`` is
    arithmetic on other columns. SQLite adds decimals as floats (7,884.88 + 1,000.00 is
    8,884.880000000001 there), so the bound gets half a cent of room: with exact cents on
    both sides, as on PostgreSQL, that is the same rule."""
    return Q(**{f"{field}__lt": bound + Value(HALF_CENT)})


def cents_equal(field: str, expression: Combinable) -> Q:
    """A constraint's ``field = expression`` for amounts in whole cents (see cents_at_most)."""
    return Q(**{f"{field}__gt": expression - Value(HALF_CENT)}) & cents_at_most(field, expression)


# A decimal as a client writes it: ASCII digits, a point only between digits, no leading zeros,
# no exponent, no spaces, a minus sign or none. Decimal itself would also read "1e3", " 5",
# "+5", "5.", ".5" and other scripts' digits (Arabic-Indic "100" is 100). The schema states
# this grammar, range included (core.api.patterns).
PLAIN_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")


class ExactDecimalField(serializers.DecimalField):
    """A decimal read exactly: a JSON number (parsed as Decimal by ``core.api.parsers``) or a
    string in the plain grammar above. A Python float — binary, already inexact — is refused,
    and so is a minus sign where the field takes no negative amount ("-0.00" included)."""

    default_error_messages = {
        "invalid": 'A number is required, written with the digits 0-9 (e.g. "1500.00").',
    }

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool | float):
            self.fail("invalid")
        if isinstance(data, str):
            if not PLAIN_DECIMAL.fullmatch(data):
                self.fail("invalid")
            if data.startswith("-") and self.min_value is not None and self.min_value >= 0:
                self.fail("min_value", min_value=self.min_value)
        return super().to_internal_value(data)


class MoneyField(ExactDecimalField):
    """An API amount: a decimal with at most two places, within the sane range.

    More than two decimal places is refused (``max_decimal_places``), never rounded silently.
    """

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", ZERO if allow_zero else CENT)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs)
