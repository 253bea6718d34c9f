import functools
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.utils import timezone
from rest_framework import serializers

from core.exceptions import CoreError
from core.money import CENT


class StrictInputMixin:
    """Refuse fields the endpoint does not take, instead of silently ignoring a typo or an
    attempt to set something read-only (a chama's code, a member's code)."""

    initial_data: Any
    fields: Any

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
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
