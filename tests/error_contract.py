"""The schema's promise about errors, checked against real answers: each error code an API
response carries is one the OpenAPI schema lists for that operation, status and input."""

import functools
import re
from typing import Any

from drf_spectacular.generators import SchemaGenerator

# The statuses whose codes the schema lists per operation (core.api.openapi_errors).
LISTED_STATUSES = {"400", "401", "403", "404", "409", "503"}
INDEX = re.compile(r"(?<=\.)\d+(?=\.|$)")


@functools.cache
def api_schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = api_schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


@functools.cache
def _routes() -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path)
        for path in api_schema()["paths"]
    ]


def operation(method: str, path: str) -> dict[str, Any] | None:
    for pattern, template in _routes():
        if pattern.match(path):
            return api_schema()["paths"][template].get(method.lower())
    return None


def _options(node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(node)
    if "oneOf" in node:
        return [option for choice in node["oneOf"] for option in _options(choice)]
    return [node]


def _enum(node: dict[str, Any]) -> set[str]:
    node = _resolve(node)
    return set(node.get("enum", ()))


def listed_codes(method: str, path: str, status: str, kind: str, attr: str | None) -> set[str]:
    """The codes the schema lists for an error of ``kind`` (validation_error, client_error,
    server_error) about ``attr`` in the ``status`` response of the operation."""
    found = operation(method, path)
    response = (found or {}).get("responses", {}).get(status)
    if response is None:
        return set()
    body = response["content"]["application/json"]["schema"]
    codes: set[str] = set()
    for option in _options(body):
        if kind not in _enum(option["properties"]["type"]):
            continue
        errors = _options(option["properties"]["errors"]["items"])
        named = [e for e in errors if attr is not None and attr in _enum(e["properties"]["attr"])]
        for error in named or errors:  # an input the schema cannot name: any input's codes
            codes |= _enum(error["properties"]["code"])
    return codes


def unlisted_errors(response: Any) -> list[str]:
    """The errors of ``response`` whose code its operation's schema does not list."""
    status = str(response.status_code)
    method, path = response.request["REQUEST_METHOD"], response.request["PATH_INFO"]
    if status not in LISTED_STATUSES or operation(method, path) is None:
        return []
    body = response.json()
    missing = []
    for error in body.get("errors", []):
        attr = INDEX.sub("INDEX", error["attr"]) if error.get("attr") else None
        if error["code"] not in listed_codes(method, path, status, body["type"], attr):
            missing.append(f"{method} {path} {status} {body['type']} {attr}: {error['code']}")
    return missing
