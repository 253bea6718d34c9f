import functools
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.utils import timezone
from rest_framework import serializers

from core.exceptions import CoreError
from core.money import CENT

# The JSON type each kind of field takes. DRF's fields also read text from numbers (0 as "0"),
# numbers from text ("5") and booleans from words ("yes"): lenient where a form posts only
# text, but then a JSON body the schema refuses would be accepted. Query strings and forms,
# all text, are left to the fields.
JSON_TYPES: tuple[tuple[type[serializers.Field], type | tuple[type, ...]], ...] = (
    (serializers.BooleanField, bool),
    (serializers.IntegerField, (int, Decimal)),
    (serializers.CharField, str),
    (serializers.UUIDField, str),
)
NOT_A_STRING = "Not a valid string."
NOT_AN_INTEGER = "A valid integer is required."
NOT_A_BOOLEAN = "Must be a valid boolean."
TYPE_MESSAGES = {
    serializers.BooleanField: NOT_A_BOOLEAN,
    serializers.IntegerField: NOT_AN_INTEGER,
    serializers.CharField: NOT_A_STRING,
    serializers.UUIDField: NOT_A_STRING,
}


def _json_value_error(field: serializers.Field, value: Any) -> serializers.ErrorDetail | None:
    for kind, json_type in JSON_TYPES:
        if isinstance(field, kind):
            # bool is an int in Python, and never a number in JSON
            is_bool = isinstance(value, bool) and kind is not serializers.BooleanField
            if is_bool or not isinstance(value, json_type):
                return serializers.ErrorDetail(TYPE_MESSAGES[kind], code=CoreError.WRONG_TYPE)
            break
    longest = getattr(field, "max_length", None)
    if isinstance(value, str) and longest is not None and len(value) > longest:
        # DRF measures text after trimming its whitespace; the schema's maxLength, the text sent
        message = field.error_messages["max_length"].format(max_length=longest)
        return serializers.ErrorDetail(message, code=CoreError.TOO_LONG)
    return None


def _json_value_errors(data: dict[str, Any], fields: Any) -> dict[str, Any]:
    errors = {}
    for name, field in fields.items():
        value = data.get(name)
        if value is None or field.read_only:
            continue
        if (error := _json_value_error(field, value)) is not None:
            errors[name] = [error]
    return errors


class StrictInputMixin:
    """Refuse fields the endpoint does not take, instead of silently ignoring a typo or an
    attempt to set something read-only (a chama's code, a member's code); in a JSON body,
    refuse a value of another JSON type than its field's (``"5"`` for a number) and text
    longer than its field's limit before any trimming."""

    initial_data: Any
    fields: Any

    def to_internal_value(self, data: Any) -> Any:
        # Kept for ``validate``: a nested serializer has no ``initial_data`` of its own.
        self._received = data
        if type(data) is dict and (errors := _json_value_errors(data, self.fields)):
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        received = getattr(self, "initial_data", getattr(self, "_received", None))
        if isinstance(received, dict):
            unknown = sorted(set(received) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: serializers.ErrorDetail(
                            CoreError.UNKNOWN_FIELD.message, code=CoreError.UNKNOWN_FIELD
                        )
                        for name in unknown
                    }
                )
        validated: dict[str, Any] = super().validate(attrs)  # type: ignore[misc]
        return validated


class InputSerializer(StrictInputMixin, serializers.Serializer):
    """Base for request bodies."""


def money_text(value: Decimal | None) -> str | None:
    """An amount as the API writes it ("1000.00"), exactly as DRF's DecimalField does."""
    return None if value is None else f"{value.quantize(CENT):f}"


@functools.cache
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def decimal_text(value: Decimal | None, places: int) -> str | None:
    """A decimal with ``places`` digits after the point, as DRF's DecimalField writes it."""
    return None if value is None else f"{value.quantize(_quantum(places)):f}"


def datetime_text(value: datetime | None, tz: tzinfo | None = None) -> str | None:
    """A timestamp in the current time zone, ISO 8601, exactly as DRF's DateTimeField does.
    A page of rows passes ``tz`` (``timezone.get_current_timezone()``) looked up once: the
    lookup costs more than the conversion."""
    if value is None:
        return None
    text = timezone.localtime(value, tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def uuid_text(value: UUID | None) -> str | None:
    return None if value is None else str(value)
