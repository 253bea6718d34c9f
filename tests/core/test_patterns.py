"""The schema's patterns admit exactly what the API's fields accept: a client (or schemathesis)
that follows the schema is never refused for a value's shape, and one that does not is."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from core.api.patterns import decimal_pattern, kenyan_mobile_pattern, text_pattern
from core.money import CENT, MAX_AMOUNT, ZERO, MoneyField
from core.phone import normalize_phone
from finance.api.serializers.loans import RateField

# Text a client might send for an amount: digits, points, signs, spaces and a few strays.
AMOUNT_TEXT = st.text(alphabet="0123456789.-+ e\u0661", max_size=14)
# Text near the edges: the bounds themselves, with trailing zeros, and one cent beyond.
EDGES = [
    "0",
    "0.0",
    "0.00",
    "0.000",
    "0.01",
    "0.010",
    "0.1",
    "0.10",
    "00.50",
    "1",
    "1.",
    ".5",
    "-0",
    "-0.00",
    "99999999.99",
    "100000000",
    "100000000.0",
    "100000000.00",
    "100000000.000",
    "100000000.01",
    "100000001",
    "1e3",
    " 5",
    "5 ",
    "+5",
]


def accepts(field: serializers.Field, value: object) -> bool:
    try:
        field.run_validation(value)
    except serializers.ValidationError:
        return False
    return True


def admits(pattern: str, text: str) -> bool:
    return re.fullmatch(pattern, text) is not None


@pytest.mark.parametrize(
    ("field", "low"), [(MoneyField(), CENT), (MoneyField(allow_zero=True), ZERO)]
)
@pytest.mark.parametrize("text", EDGES)
def test_the_amount_pattern_admits_what_the_field_accepts_at_the_edges(field, low, text):
    pattern = decimal_pattern(low=low, high=MAX_AMOUNT, places=2)

    assert admits(pattern, text) == accepts(field, text), text


@given(AMOUNT_TEXT)
def test_the_amount_pattern_admits_what_the_field_accepts(text):
    pattern = decimal_pattern(low=CENT, high=MAX_AMOUNT, places=2)

    assert admits(pattern, text) == accepts(MoneyField(), text)


@given(st.integers(0, 7).flatmap(lambda places: st.decimals(-1, 2, places=places)))
def test_the_rate_pattern_admits_what_the_rate_field_accepts(value):
    text = f"{value:f}"
    pattern = decimal_pattern(low=Decimal(0), high=Decimal(1), places=6)

    assert admits(pattern, text) == accepts(RateField(), text), text


@pytest.mark.parametrize(
    ("text", "admitted"),
    [
        *[("1", True), ("250000", True), ("250000.00", True), ("250000.0", True)],
        *[("10.50", False), ("0", False), ("250001", False), ("100.000", False), ("099", False)],
    ],
)
def test_whole_shillings(text, admitted):
    pattern = decimal_pattern(low=Decimal(1), high=Decimal(250000), places=2, whole=True)

    assert admits(pattern, text) == admitted


@given(st.from_regex(kenyan_mobile_pattern(), fullmatch=True))
def test_every_phone_the_pattern_admits_is_a_kenyan_mobile(text):
    assert normalize_phone(text).startswith("254")


@pytest.mark.parametrize("text", ["0712345678", "712345678", "254712345678", "+254110123456"])
def test_the_phone_pattern_admits_the_plain_spellings(text):
    assert admits(kenyan_mobile_pattern(), text)


@pytest.mark.parametrize("text", ["0", "0712 345 678", "+1 202 555 0100", "0201234567", ""])
def test_the_phone_pattern_admits_no_other_number_or_spelling(text):
    assert not admits(kenyan_mobile_pattern(), text)


@given(st.text(max_size=6))
@pytest.mark.parametrize("allow_blank", [False, True])
def test_the_text_pattern_admits_what_a_char_field_accepts(allow_blank, text):
    field = serializers.CharField(allow_blank=allow_blank)
    pattern = text_pattern(allow_blank=allow_blank, trimmed=True)
    # where blank is allowed, the schema offers "" as a branch of its own
    admitted = re.search(pattern, text) is not None or (allow_blank and text == "")

    assert admitted == accepts(field, text), repr(text)
