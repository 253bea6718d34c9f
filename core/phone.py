"""Kenyan mobile numbers, normalised to 2547XXXXXXXX / 2541XXXXXXXX (what M-Pesa expects)."""

import re
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from rest_framework import serializers

from core.exceptions import CoreError

MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
# Digits and the separators people type; anything else is refused before phonenumbers sees it,
# which would read letters as a vanity number (a typo'd 0712ABCDEF becomes a stranger's
# 254712222333, where M-Pesa would send money) or silently drop them as an extension.
PHONE_CHARACTERS = re.compile(r"\+?[\d\s().-]+")


class InvalidPhoneNumber(ValueError):
    def __init__(self, error: CoreError) -> None:
        super().__init__(error.message)
        self.message = error.message
        self.code = error


def normalize_phone(raw: str) -> str:
    """Accept 07…, 01…, 7…, 1…, +254…, 254… (spaces and dashes allowed); return 2547…/2541…."""
    text = str(raw).strip()
    if not PHONE_CHARACTERS.fullmatch(text):
        raise InvalidPhoneNumber(CoreError.INVALID_PHONE)
    try:
        number = phonenumbers.parse(text, "KE")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(CoreError.INVALID_PHONE) from exc
    if number.country_code != 254:
        raise InvalidPhoneNumber(CoreError.PHONE_NOT_KENYAN)
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(CoreError.INVALID_PHONE)
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise InvalidPhoneNumber(CoreError.PHONE_NOT_MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def validate_phone(value: str) -> None:
    """Model-field validator: the stored value must already be normalised."""
    try:
        normalised = normalize_phone(value)
    except InvalidPhoneNumber as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    if normalised != value:
        raise ValidationError(CoreError.INVALID_PHONE.message, code=CoreError.INVALID_PHONE)


class PhoneField(serializers.CharField):
    """An API phone number: any Kenyan format in, the normalised form out."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            return normalize_phone(value)
        except InvalidPhoneNumber as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from exc
