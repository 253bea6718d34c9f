"""OpenAPI: document the errors our handler adds — 409 conflicts (duplicate receipts, limits,
races) on writes, 400 ``malformed_json`` and 413 ``payload_too_large`` wherever a body is read."""

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _client_error_response(name: str, codes: list[str] | None, help_text: str) -> type:
    """A response serializer in the one error shape whose ``code`` is one of ``codes`` (any
    stable code when None)."""
    code = (
        serializers.ChoiceField(choices=codes, help_text=help_text)
        if codes
        else serializers.CharField(help_text=help_text)
    )
    error = type(
        f"{name}Serializer",
        (serializers.Serializer,),
        {
            "code": code,
            "detail": serializers.CharField(),
            "attr": serializers.CharField(allow_null=True),
        },
    )
    return type(
        f"{name}ResponseSerializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=ClientErrorEnum.choices),
            "errors": error(many=True),
        },
    )


ConflictErrorResponseSerializer = _client_error_response(
    "ConflictError", None, "Stable code, e.g. duplicate_receipt."
)
MalformedJSONResponseSerializer = _client_error_response(
    "MalformedJSONError", ["malformed_json"], "The body is not JSON, or nests too deep."
)
PayloadTooLargeResponseSerializer = _client_error_response(
    "PayloadTooLargeError", ["payload_too_large"], "The body is larger than the API accepts."
)


class AutoSchema(StandardizedErrorsAutoSchema):
    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        if status_code in {"409", "413"}:
            return self.method in BODY_METHODS and status_code not in responses
        return super()._should_add_error_response(responses, status_code)

    def _get_http400_serializer(self) -> Any:
        proxy = super()._get_http400_serializer()
        parse_error = ClientErrorEnum.CLIENT_ERROR.value
        if isinstance(proxy, PolymorphicProxySerializer) and parse_error in proxy.serializers:
            proxy.serializers[parse_error] = MalformedJSONResponseSerializer
        return proxy
