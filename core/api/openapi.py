"""OpenAPI: document the 409 conflict errors (duplicate receipts, limits, races) on writes."""

from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers


class ConflictErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code, e.g. duplicate_receipt.")
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ConflictErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = ConflictErrorSerializer(many=True)  # type: ignore[assignment]


class AutoSchema(StandardizedErrorsAutoSchema):
    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code == "409":
            return (
                self.method in {"POST", "PUT", "PATCH", "DELETE"} and status_code not in responses
            )
        return super()._should_add_error_response(responses, status_code)
