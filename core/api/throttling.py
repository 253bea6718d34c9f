"""Throttles that count by the one client address (``core.net.client_ip``), in the shared
cache: Redis in production, so every worker counts together."""

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle as DRFScopedRateThrottle

from core.net import client_ip


class ScopedRateThrottle(DRFScopedRateThrottle):
    def get_ident(self, request: Request) -> str:
        return client_ip(request) or ""
