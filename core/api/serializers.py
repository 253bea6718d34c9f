from typing import Any

from rest_framework import serializers


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
                            "This field is not accepted here.", code="unknown_field"
                        )
                        for name in unknown
                    }
                )
        validated: dict[str, Any] = super().validate(attrs)  # type: ignore[misc]
        return validated


class InputSerializer(StrictInputMixin, serializers.Serializer):
    """Base for request bodies."""
