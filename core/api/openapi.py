"""OpenAPI: the errors our handler adds — 413 ``payload_too_large`` wherever a body is read;
each operation's error codes are listed by ``core.api.openapi_errors`` — and inputs stated as
exactly as the API reads them: request bodies that refuse unknown fields say so
(``additionalProperties: false``, and ``unknown_field`` among their errors), amounts and phone
numbers carry patterns that admit what the API accepts and nothing else."""

import re
from decimal import Decimal
from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.drainage import has_override
from drf_spectacular.plumbing import append_meta, force_instance
from drf_spectacular.utils import PolymorphicProxySerializer
from drf_standardized_errors.openapi_serializers import ValidationErrorEnum
from drf_standardized_errors.openapi_utils import (
    InputDataField,
    get_error_serializer,
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
from drf_standardized_errors.settings import package_settings
from inflection import camelize
from rest_framework import serializers
from rest_framework.settings import api_settings

from core.api.openapi_errors import ErrorCodesAutoSchema, error_response_serializer
from core.api.pagination import LimitOffsetPagination
from core.api.patterns import decimal_pattern, kenyan_mobile_pattern, text_pattern
from core.api.serializers import StrictInputMixin
from core.exceptions import CoreError
from core.money import ExactDecimalField
from core.phone import PhoneField

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


PayloadTooLargeResponseSerializer = error_response_serializer(
    "PayloadTooLarge", "413", {CoreError.PAYLOAD_TOO_LARGE.value}
)


class UnknownFieldErrorSerializer(serializers.Serializer):
    """A field the request named that the endpoint does not take (``attr`` is its name)."""

    attr = serializers.CharField()
    code = serializers.ChoiceField(choices=["unknown_field"])
    detail = serializers.CharField()


def decimal_schema(
    *, low: Decimal, high: Decimal, places: int, whole: bool = False
) -> dict[str, Any]:
    """A decimal input as the API reads it: a string in the plain grammar, or a JSON number
    (read as a decimal, never through float), each within [low, high]."""
    step = 1 if whole else float(Decimal(1).scaleb(-places))
    return {
        "oneOf": [
            {
                "type": "string",
                "pattern": decimal_pattern(low=low, high=high, places=places, whole=whole),
            },
            {"type": "number", "multipleOf": step, "minimum": float(low), "maximum": float(high)},
        ]
    }


def _exact_decimal_schema(field: ExactDecimalField) -> dict[str, Any]:
    if field.min_value is None or field.max_value is None or field.min_value < 0:
        raise NotImplementedError(f"{field!r}: only bounded, non-negative decimals are documented")
    assert field.decimal_places is not None
    return decimal_schema(
        low=Decimal(field.min_value), high=Decimal(field.max_value), places=field.decimal_places
    )


def _attr_pattern(attr: str) -> str:
    """A nested field's attr as the errors name it: "guarantors.0.amount" where the schema
    generator writes "guarantors.INDEX.amount"."""
    index = package_settings.LIST_INDEX_IN_API_SCHEMA
    return "^" + "[0-9]+".join(re.escape(part) for part in attr.split(index)) + "$"


def _indexed_error_serializer(operation_id: str, attr: str, codes: set[str]) -> type:
    named = get_error_serializer(operation_id, attr, codes)
    return type(
        named.__name__,
        (serializers.Serializer,),
        {
            "attr": serializers.RegexField(_attr_pattern(attr)),
            "code": serializers.ChoiceField(choices=sorted(codes)),
            "detail": serializers.CharField(),
            "Meta": getattr(named, "Meta"),  # noqa: B009 - made by type(), unknown to mypy
        },
    )


def _null_objects(codes_by_field: dict[str, set[str]]) -> dict[str, set[str]]:
    """A nested object or list of objects refuses null as the value itself ("guarantors",
    "guarantors.0": null), not among the errors of its fields ("….non_field_errors")."""
    item_errors = package_settings.NESTED_FIELD_SEPARATOR + api_settings.NON_FIELD_ERRORS_KEY
    return {
        attr.removesuffix(item_errors): {"null"}
        for attr in codes_by_field
        if attr.endswith(item_errors)
    }


def validation_error_serializer(
    operation_id: str, codes_by_field: dict[str, set[str]], *, unknown_fields: bool
) -> type:
    """The 400 ``validation_error`` body: one error per field as drf-standardized-errors
    documents it, except that an error is told apart by its members, not by a discriminator
    on ``attr`` — a nested field's attr carries its index and an unknown field's is whatever
    the request named, neither of which a mapping can list."""
    index = package_settings.LIST_INDEX_IN_API_SCHEMA
    codes_by_field = dict(codes_by_field)
    for attr, codes in _null_objects(codes_by_field).items():
        codes_by_field[attr] = codes_by_field.get(attr, set()) | codes
    members = [
        _indexed_error_serializer(operation_id, attr, codes)
        if index in attr.split(package_settings.NESTED_FIELD_SEPARATOR)
        else get_error_serializer(operation_id, attr, codes)
        for attr, codes in codes_by_field.items()
    ]
    if unknown_fields:
        members.append(UnknownFieldErrorSerializer)
    name = camelize(operation_id)
    return type(
        "ValidationErrorSerializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=ValidationErrorEnum.choices),
            "errors": PolymorphicProxySerializer(
                component_name=f"{name}Error",
                serializers=members,
                resource_type_field_name=None,
                many=True,
            ),
            "Meta": type("Meta", (), {"ref_name": f"{name}ValidationError"}),
        },
    )


def _is_plain_text(field: Any) -> bool:
    """A CharField whose shape nothing else states (no format, no pattern of its own)."""
    formatted = (
        serializers.EmailField,
        serializers.RegexField,
        serializers.URLField,
        serializers.SlugField,
        serializers.IPAddressField,
    )
    return (
        isinstance(field, serializers.CharField)
        and not isinstance(field, formatted)
        and not any(isinstance(v, RegexValidator) for v in field.validators)
    )


def _request_serializers(request: Any) -> list[Any]:
    """The serializers a request body may be: one, or one per media type."""
    if isinstance(request, dict):
        return [s for s in request.values() if isinstance(s, serializers.BaseSerializer | type)]
    return [] if request is None else [request]


def _is_strict(serializer: Any) -> bool:
    return isinstance(serializer, StrictInputMixin) or (
        isinstance(serializer, type) and issubclass(serializer, StrictInputMixin)
    )


class AutoSchema(ErrorCodesAutoSchema):
    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        if status_code == "413":
            return self.method in BODY_METHODS and status_code not in responses
        return super()._should_add_error_response(responses, status_code)

    # --- inputs as the API reads them -------------------------------------------------------

    def _map_serializer(
        self, serializer: Any, direction: str, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if (
            direction == "request"
            and _is_strict(force_instance(serializer))
            and "properties" in schema
        ):
            schema["additionalProperties"] = False
        return schema

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> Any:
        if direction == "request" and not has_override(field, "field"):
            if isinstance(field, ExactDecimalField):
                meta = self._get_serializer_field_meta(field, direction)
                return append_meta(_exact_decimal_schema(field), meta)
            if isinstance(field, PhoneField):
                schema = super()._map_serializer_field(field, direction, bypass_extensions)
                schema["pattern"] = kenyan_mobile_pattern()
                return schema
            if isinstance(field, serializers.FileField) and not field.allow_empty_file:
                schema = super()._map_serializer_field(field, direction, bypass_extensions)
                schema["minLength"] = 1  # an empty file is refused
                return schema
            if _is_plain_text(field):
                schema = super()._map_serializer_field(field, direction, bypass_extensions)
                if "pattern" not in schema:
                    schema["pattern"] = text_pattern(
                        allow_blank=field.allow_blank, trimmed=field.trim_whitespace
                    )
                return schema
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        """django-filter reads an empty value as no filter: ``?status=`` lists everything."""
        return [
            {**parameter, "allowEmptyValue": True} if parameter.get("in") == "query" else parameter
            for parameter in super()._get_filter_parameters()
        ]

    def _process_override_parameters(self, direction: str = "request") -> dict[Any, Any]:
        """A query string read by a serializer: an empty value of an optional parameter is
        read as if it were not there (DRF's reading of form-like input)."""
        parameters: dict[Any, Any] = super()._process_override_parameters(direction)
        optional = {
            name
            for serializer in self.get_override_parameters()
            if not hasattr(serializer, "location")
            for name, field in force_instance(serializer).fields.items()
            if not field.required
        }
        for parameter in parameters.values():
            if parameter.get("in") == "query" and parameter.get("name") in optional:
                parameter["allowEmptyValue"] = True
        return parameters

    # --- 400: which fields, and whether unknown ones are refused ---------------------------

    def _request_body_serializers(self) -> list[Any]:
        if self.method not in {"PUT", "PATCH", "POST"}:
            return []
        return _request_serializers(self.get_request_serializer())

    def _should_add_validation_error_response(self) -> bool:
        return (
            bool(self._request_body_serializers())
            or bool(self._paging_fields())
            or super()._should_add_validation_error_response()
        )

    def _determine_fields_with_error_codes(self) -> list[InputDataField]:
        request = self.get_request_serializer() if self.method in {"PUT", "PATCH", "POST"} else None
        if isinstance(request, dict):  # one serializer per media type (a multipart upload)
            bodies = _request_serializers(request)
            fields = [field for body in bodies for field in get_flat_serializer_fields(body)]
            return get_serializer_fields_with_error_codes(fields)
        return [*super()._determine_fields_with_error_codes(), *self._paging_fields()]

    def _paging_fields(self) -> list[InputDataField]:
        """A list's ``limit`` and ``offset``, which it refuses when they are not numbers."""
        paginator = self._get_paginator() if self.method == "GET" and self._is_list_view() else None
        if not isinstance(paginator, LimitOffsetPagination):
            return []
        return [
            InputDataField(name, serializers.IntegerField(), {"invalid"})
            for name in (paginator.limit_query_param, paginator.offset_query_param)
        ]

    def _refuses_unknown_fields(self) -> bool:
        """A strict request body, or query parameters read by a strict serializer."""
        parameters = [p for p in self.get_override_parameters() if not hasattr(p, "location")]
        return any(_is_strict(s) for s in [*self._request_body_serializers(), *parameters])

    def _get_serializer_for_validation_error_response(self) -> Any:
        codes_by_field = self._get_validation_error_codes_by_field(
            self._determine_fields_with_error_codes()
        )
        return validation_error_serializer(
            self.get_operation_id(), codes_by_field, unknown_fields=self._refuses_unknown_fields()
        )
