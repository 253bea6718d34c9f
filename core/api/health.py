"""/api/health/: can this process reach its database, cache and broker?"""

import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


def _check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "backend": connection.vendor}


def _check_cache() -> dict[str, Any]:
    key = f"health:{uuid.uuid4()}"
    cache.set(key, "1", timeout=5)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok, "backend": cache.__class__.__name__}


def _check_broker() -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "backend": "eager"}
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {"ok": True, "backend": "redis"}


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}

HealthCheckSerializer = inline_serializer(
    "HealthCheck",
    {"ok": serializers.BooleanField(), "backend": serializers.CharField(required=False)},
)


class HealthView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Service health",
        responses={
            (200, "application/json"): inline_serializer(
                "Health",
                {
                    "status": serializers.ChoiceField(choices=["ok", "degraded"]),
                    "checks": serializers.DictField(child=HealthCheckSerializer),
                },
            ),
        },
    )
    def get(self, request: Request) -> Response:
        checks: dict[str, Any] = {}
        for name, check in CHECKS.items():
            try:
                checks[name] = check()
            except Exception as exc:  # any failure to reach a dependency is "not ok"
                checks[name] = {"ok": False, "error": exc.__class__.__name__}
        healthy = all(result["ok"] for result in checks.values())
        return Response(
            {"status": "ok" if healthy else "degraded", "checks": checks},
            status=200 if healthy else 503,
        )
