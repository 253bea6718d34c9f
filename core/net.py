"""The one address a request comes from, for everything that limits or admits by address: the
API's throttles, django-axes and the M-Pesa callback allowlist."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind ``TRUSTED_PROXIES`` reverse proxies the address the outermost
    one saw: X-Forwarded-For read from the right, since a client can write anything at its
    left end. With no trusted proxy the header is ignored."""
    proxies: int = settings.TRUSTED_PROXIES
    header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and header:
        forwarded = [a.strip() for a in header.split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    remote: str | None = request.META.get("REMOTE_ADDR")
    return remote
