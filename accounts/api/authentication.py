"""JWT authentication that also tells django-auditlog who is acting.

AuditlogMiddleware records the actor from ``request.user`` before DRF has read the bearer
token, so API changes would be logged without an actor. Once the token identifies the user,
we put them into the audit context the middleware opened for this request.
"""

from contextlib import suppress
from typing import Any

from auditlog.context import auditlog_value
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication


class AuditedJWTAuthentication(JWTAuthentication):
    def authenticate(self, request: Request) -> Any:
        result = super().authenticate(request)
        if result is not None:
            with suppress(LookupError):  # no middleware context (a view called directly)
                auditlog_value.get()["actor"] = result[0]
        return result


class AuditedJWTScheme(SimpleJWTScheme):  # type: ignore[no-untyped-call]
    """Documents the bearer token in the OpenAPI schema, as for simplejwt's own class."""

    target_class = "accounts.api.authentication.AuditedJWTAuthentication"
