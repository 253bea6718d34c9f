"""OpenAPI: each operation's error responses list the codes it can answer, as read from the
code by ``core.api.error_codes`` — never typed into the views.

- 400: a domain error about an input joins that input's codes in the validation error
  (``attr`` the input); one about no input, and the body parser's, are the ``client_error``.
- 401, 403, 404, 409, 503: the response's ``code`` is one of the operation's codes, with DRF's
  own for the status where drf-standardized-errors documents them (``not_authenticated``,
  ``permission_denied``, ``not_found``); a status the operation cannot answer is left out.
"""

import functools
from typing import Any

from drf_spectacular.plumbing import is_serializer
from drf_spectacular.utils import OpenApiExample, PolymorphicProxySerializer
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
    ErrorCode401Enum,
    ErrorCode403Enum,
    ErrorCode404Enum,
    ServerErrorEnum,
)
from drf_standardized_errors.openapi_utils import InputDataField
from drf_standardized_errors.settings import package_settings
from inflection import camelize
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings

from core.api.error_codes import (
    ANY_FIELD,
    OperationErrors,
    authentication_codes,
    error_enums,
    field_error_codes,
    operation_errors,
)
from core.api.error_codes.values import hazina_packages

# DRF's own codes drf-standardized-errors documents for a status.
FRAMEWORK_CODES = {
    "401": set(ErrorCode401Enum.values),
    "403": set(ErrorCode403Enum.values),
    "404": set(ErrorCode404Enum.values),
}
BODY_METHODS = {"PUT", "PATCH", "POST"}
# Statuses only the walk decides: documented where the operation can answer them.
WALKED_ONLY = {"409", "503"}
_SUFFIX = package_settings.ERROR_COMPONENT_NAME_SUFFIX
_RESPONSES: dict[str, tuple[frozenset[str], type]] = {}
_ERRORS: dict[tuple[Any, ...], OperationErrors] = {}  # by view class, action, method, path


def error_response_serializer(prefix: str, status: str, codes: set[str]) -> type:
    """A response serializer in the one error shape whose ``code`` is one of ``codes``, as
    the component ``{prefix}ErrorResponse{status}``."""
    name = f"{prefix}ErrorResponse{status}"
    if name in _RESPONSES and _RESPONSES[name][0] == codes:
        return _RESPONSES[name][1]
    error = type(
        f"{prefix}Error{status}Serializer",
        (serializers.Serializer,),
        {
            "code": serializers.ChoiceField(
                choices=[(c, _messages().get(c, c)) for c in sorted(codes)]
            ),
            "detail": serializers.CharField(),
            "attr": serializers.CharField(allow_null=True),
            # The suffix keeps each operation's codes out of drf-spectacular's shared enums.
            "Meta": type("Meta", (), {"ref_name": f"{prefix}Error{status}{_SUFFIX}"}),
        },
    )
    kind = ServerErrorEnum if status.startswith("5") else ClientErrorEnum
    response = type(
        f"{name}Serializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=kind.choices),
            "errors": error(many=True),
            "Meta": type("Meta", (), {"ref_name": name}),
        },
    )
    _RESPONSES[name] = (frozenset(codes), response)
    return response


@functools.cache
def _messages() -> dict[str, str]:
    """Each wire code's message templates, to describe the codes a response lists."""
    found: dict[str, dict[str, None]] = {}
    for enum in error_enums():
        for member in enum:
            found.setdefault(member.value, {})[member.message] = None
    return {code: " / ".join(messages) for code, messages in found.items()}


def _walked(cls: type) -> bool:
    return cls.__module__.split(".")[0] in hazina_packages()


@functools.cache
def _authenticated_codes() -> frozenset[str]:
    """The 401 codes of an endpoint that takes the default bearer token."""
    classes: list[type] = list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)  # type: ignore[arg-type]
    return frozenset(authentication_codes(classes) | FRAMEWORK_CODES["401"])


class ErrorCodesAutoSchema(StandardizedErrorsAutoSchema):
    def _operation_errors(self) -> OperationErrors:
        key = (type(self.view), getattr(self.view, "action", None), self.method, self.path)
        if key not in _ERRORS:
            _ERRORS[key] = operation_errors(
                self.view, self.method, path_has_parameters="{" in self.path
            )
        return _ERRORS[key]

    def _get_allowed_error_status_codes(self) -> list[str]:
        allowed = super()._get_allowed_error_status_codes()
        raised = {str(r.status) for r in self._operation_errors().raises}
        return allowed + sorted(raised - set(allowed))

    def _standard_adds(self, status_code: str) -> bool:
        return StandardizedErrorsAutoSchema._should_add_error_response(self, {}, status_code)

    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        if status_code in responses:
            return False  # documented by hand with extend_schema
        if status_code != "400" and self._operation_errors().codes(int(status_code)):
            return True
        return status_code not in WALKED_ONLY and self._standard_adds(status_code)

    def _get_error_response_serializer(self, status_code: str) -> Any:
        codes = self._operation_errors().codes(int(status_code))
        if status_code == "400" or not codes:
            return super()._get_error_response_serializer(status_code)
        if self._standard_adds(status_code):
            codes |= FRAMEWORK_CODES.get(status_code, set())
        if codes == FRAMEWORK_CODES.get(status_code):
            return super()._get_error_response_serializer(status_code)
        if status_code == "401" and codes == _authenticated_codes():
            return error_response_serializer("Authenticated", status_code, codes)
        return error_response_serializer(camelize(self.get_operation_id()), status_code, codes)

    # 400 --------------------------------------------------------------------------------------

    def _fielded_codes(self) -> dict[str, set[str]]:
        by_field: dict[str, set[str]] = {}
        for r in self._operation_errors().raises:
            if r.status == 400 and isinstance(r.field, str):
                by_field.setdefault(r.field, set()).add(str(r.code))
        return by_field

    def _should_add_validation_error_response(self) -> bool:
        return super()._should_add_validation_error_response() or bool(self._fielded_codes())

    def _determine_fields_with_error_codes(self) -> list[InputDataField]:
        request = self.get_request_serializer() if self.method in BODY_METHODS else None
        if request is not None and not is_serializer(request):
            return []  # a body described by hand (a file upload): no fields to read
        fields = super()._determine_fields_with_error_codes()
        for data_field in fields:
            if isinstance(data_field.field, serializers.Field):
                data_field.error_codes |= field_error_codes(data_field.field)
        return fields

    def _get_validation_error_codes_by_field(
        self, data_fields: list[InputDataField]
    ) -> dict[str, set[str]]:
        by_field = super()._get_validation_error_codes_by_field(data_fields)
        named = self._fielded_codes()
        anywhere = named.pop(ANY_FIELD, set())
        for name, codes in sorted(named.items()):
            by_field[name] = by_field.get(name, set()) | codes
        for codes in by_field.values():  # an input the walk could not name: any of them
            codes |= anywhere
        return by_field

    def _get_http400_serializer(self) -> Any:
        proxy: PolymorphicProxySerializer = super()._get_http400_serializer()  # type: ignore[assignment]
        unfielded = {
            str(r.code) for r in self._operation_errors().raises if r.status == 400 and not r.field
        }
        if any(not _walked(type(parser)) for parser in self.view.get_parsers()):
            unfielded.add(str(exceptions.ParseError.default_code))  # DRF's parsers
        client_error = ClientErrorEnum.CLIENT_ERROR.value
        if unfielded and client_error in proxy.serializers:
            prefix = f"{camelize(self.get_operation_id())}Client"
            proxy.serializers[client_error] = error_response_serializer(prefix, "400", unfielded)
        return proxy

    # Examples ---------------------------------------------------------------------------------

    def _get_error_response_examples(self) -> list[OpenApiExample]:
        """drf-standardized-errors' examples, less those showing a code the operation's
        response for that status does not list (its 403 may be only ``account_locked``)."""
        examples = []
        for example in super()._get_error_response_examples():
            status = str(example.status_codes[0]) if example.status_codes else ""
            code = example.value["errors"][0]["code"]
            listed = self._listed_codes(status)
            if listed is None or code in listed:
                examples.append(example)
        return examples

    def _listed_codes(self, status: str) -> set[str] | None:
        if not status.isdigit() or status == "400":
            return None
        codes = self._operation_errors().codes(int(status))
        if not codes:
            return None
        return codes | (
            FRAMEWORK_CODES.get(status, set()) if self._standard_adds(status) else set()
        )
