"""OpenAPI: document the errors our handler adds — 413 ``payload_too_large`` wherever a body is
read; each operation's error codes are listed by ``core.api.openapi_errors``."""

from typing import Any

from core.api.openapi_errors import ErrorCodesAutoSchema, error_response_serializer
from core.exceptions import CoreError

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


PayloadTooLargeResponseSerializer = error_response_serializer(
    "PayloadTooLarge", "413", {CoreError.PAYLOAD_TOO_LARGE.value}
)


class AutoSchema(ErrorCodesAutoSchema):
    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        if status_code == "413":
            return self.method in BODY_METHODS and status_code not in responses
        return super()._should_add_error_response(responses, status_code)
