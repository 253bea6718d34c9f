"""One error shape for every API error: {"type", "errors": [{"code", "detail", "attr"}]}.

drf-standardized-errors formats DRF's exceptions; this handler adds our domain errors and
Django's ValidationError, and the 404/500 views below give non-DRF paths the same shape.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions
from rest_framework.fields import get_error_detail
from rest_framework_simplejwt import exceptions as jwt_exceptions

from core.exceptions import CoreError, DomainError, ErrorCode

JSON_PATH_PREFIXES = ("/api/", "/hooks/")


class DomainAPIException(exceptions.APIException):
    def __init__(self, error: DomainError) -> None:
        super().__init__(detail=error.message, code=error.code)
        self.status_code = error.status_code


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = CoreError.PAYLOAD_TOO_LARGE


class HazinaExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, RequestDataTooBig):
            return PayloadTooLarge(
                CoreError.PAYLOAD_TOO_LARGE.render(
                    limit=f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"
                )
            )
        if isinstance(exc, DomainError):
            if exc.field and exc.status_code == 400:
                return exceptions.ValidationError(
                    {exc.field: [exceptions.ErrorDetail(exc.message, code=exc.code)]}
                )
            return DomainAPIException(exc)
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(detail=get_error_detail(exc))
        if isinstance(exc, jwt_exceptions.AuthenticationFailed) and isinstance(exc.detail, dict):
            return _single_jwt_error(exc)
        return super().convert_known_exceptions(exc)

    def report_exception(self, exc: exceptions.APIException, response: Any) -> None:
        # A provider being down (our 503s) is an expected answer with its own code, not a
        # server error to report as a crash.
        if isinstance(exc, DomainAPIException):
            return
        super().report_exception(exc, response)


def _single_jwt_error(exc: jwt_exceptions.AuthenticationFailed) -> exceptions.APIException:
    """simplejwt's errors carry a dict ({"detail", "code", "messages"}) that would be flattened
    into one error per key, with attrs "detail", "code", "messages.0.token_class"; keep one."""
    detail = exc.detail
    assert isinstance(detail, dict)
    error = exceptions.AuthenticationFailed(str(detail["detail"]), code=str(detail["code"]))
    error.status_code = exc.status_code
    error.auth_header = getattr(exc, "auth_header", None)  # type: ignore[attr-defined]
    return error


def _error_body(error_type: str, code: ErrorCode, detail: str | None = None) -> dict[str, Any]:
    detail = code.message if detail is None else detail
    return {"type": error_type, "errors": [{"code": code, "detail": detail, "attr": None}]}


def error_response(status: int, code: ErrorCode, detail: str | None = None) -> JsonResponse:
    """The one error shape, for views outside DRF (the Daraja callbacks); the code's own
    message unless ``detail`` is given."""
    error_type = "server_error" if status >= 500 else "client_error"
    return JsonResponse(_error_body(error_type, code, detail), status=status)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(JSON_PATH_PREFIXES):
        return error_response(404, CoreError.NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(JSON_PATH_PREFIXES):
        body = _error_body("server_error", CoreError.SERVER_ERROR)
        return JsonResponse(body, status=500)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(JSON_PATH_PREFIXES):
        body = _error_body("client_error", CoreError.BAD_REQUEST)
        return JsonResponse(body, status=400)
    return defaults.bad_request(request, exception)
