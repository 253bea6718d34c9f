"""Every spelling of a Kenyan mobile number becomes the one form M-Pesa takes; anything else is
refused with a stable code."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework import serializers

from core.exceptions import CoreError
from core.phone import (
    InvalidPhoneNumber,
    PhoneField,
    normalize_phone,
    validate_phone,
)

VALID = [
    ("0712345678", "254712345678"),
    ("712345678", "254712345678"),
    ("+254712345678", "254712345678"),
    ("254712345678", "254712345678"),
    ("+254 712 345 678", "254712345678"),
    ("0712-345-678", "254712345678"),
    (" 0712 345 678 ", "254712345678"),
    ("(0712) 345678", "254712345678"),
    ("0112345678", "254112345678"),
    ("0100123456", "254100123456"),
    ("+254 100 123 456", "254100123456"),
]

INVALID = [
    ("0202345678", "phone_not_mobile", CoreError.PHONE_NOT_MOBILE.message),  # a Nairobi landline
    ("+255712345678", "phone_not_kenyan", CoreError.PHONE_NOT_KENYAN.message),  # Tanzania
    ("+1 202 555 0123", "phone_not_kenyan", CoreError.PHONE_NOT_KENYAN.message),
    ("07123", "invalid_phone", CoreError.INVALID_PHONE.message),
    ("07123456789", "invalid_phone", CoreError.INVALID_PHONE.message),  # one digit too many
    ("hello", "invalid_phone", CoreError.INVALID_PHONE.message),
    ("", "invalid_phone", CoreError.INVALID_PHONE.message),
    ("   ", "invalid_phone", CoreError.INVALID_PHONE.message),
    # Letters are refused, not read as a vanity number (this would be 254712222333).
    ("0712ABCDEF", "invalid_phone", CoreError.INVALID_PHONE.message),
    # Trailing text is refused, not dropped as an extension.
    ("0712345678 ext 9", "invalid_phone", CoreError.INVALID_PHONE.message),
    ("hello0712345678", "invalid_phone", CoreError.INVALID_PHONE.message),
    ("++254712345678", "invalid_phone", CoreError.INVALID_PHONE.message),
]


@pytest.mark.parametrize(("raw", "expected"), VALID)
def test_normalize_phone_accepts_every_kenyan_spelling(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(("raw", "code", "message"), INVALID)
def test_normalize_phone_refuses_with_a_stable_code(raw, code, message):
    with pytest.raises(InvalidPhoneNumber) as caught:
        normalize_phone(raw)

    assert caught.value.code == code
    assert caught.value.message == message
    assert str(caught.value) == message


def test_validate_phone_accepts_the_normalised_form():
    validate_phone("254712345678")
    validate_phone("254112345678")


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        # A valid number that was not normalised must not reach the database.
        ("0712345678", "invalid_phone", CoreError.INVALID_PHONE.message),
        ("+254712345678", "invalid_phone", CoreError.INVALID_PHONE.message),
        ("254202345678", "phone_not_mobile", CoreError.PHONE_NOT_MOBILE.message),
        ("255712345678", "invalid_phone", CoreError.INVALID_PHONE.message),
    ],
)
def test_validate_phone_refuses_anything_but_the_normalised_form(value, code, message):
    with pytest.raises(ValidationError) as caught:
        validate_phone(value)

    assert caught.value.code == code
    assert caught.value.messages == [message]


@pytest.mark.parametrize(("raw", "expected"), VALID)
def test_phone_field_returns_the_normalised_form(raw, expected):
    assert PhoneField().run_validation(raw) == expected


def test_phone_field_takes_a_json_number_as_its_digits():
    # DRF's CharField turns numbers into text, and 712345678 is the "7…" spelling.
    assert PhoneField().run_validation(712345678) == "254712345678"


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("0202345678", "phone_not_mobile", CoreError.PHONE_NOT_MOBILE.message),
        ("+255712345678", "phone_not_kenyan", CoreError.PHONE_NOT_KENYAN.message),
        ("07123", "invalid_phone", CoreError.INVALID_PHONE.message),
        ("hello", "invalid_phone", CoreError.INVALID_PHONE.message),
        ("", "blank", "This field may not be blank."),
        (None, "null", "This field may not be null."),
        (["0712345678"], "invalid", "Not a valid string."),
        ({"phone": "0712345678"}, "invalid", "Not a valid string."),
        (True, "invalid", "Not a valid string."),
        ("0712345678" * 3, "invalid_phone", CoreError.INVALID_PHONE.message),
    ],
)
def test_phone_field_refuses_with_a_stable_code(raw, code, message):
    with pytest.raises(serializers.ValidationError) as caught:
        PhoneField().run_validation(raw)

    assert [(str(error), error.code) for error in caught.value.detail] == [(message, code)]
