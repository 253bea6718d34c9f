"""Getting a request to Daraja and its answer back: the shared OAuth token, retries with back-off
for calls the gateway refuses for load, and request/response logging with the secrets redacted.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import requests
from django.core.cache import cache
from urllib3.exceptions import ConnectTimeoutError

from mpesa.client.answers import (
    BACK_OFF_CODES,
    INVALID_ACCESS_TOKEN,
    DarajaError,
    DarajaTimeout,
    gateway_error,
    json_or_none,
)
from mpesa.client.config import DarajaConfig

logger = logging.getLogger("mpesa.client")

REDACTED = "***"
SECRET_FIELDS = frozenset({"Password", "SecurityCredential", "access_token"})
SECRET_HEADERS = frozenset({"authorization"})

# Failures after the request went out (a read timeout, a dropped connection, a cut-off reply):
# Daraja may have acted on it.
UNANSWERED = (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


def redact(value: Any) -> Any:
    """A copy of a JSON payload with secret fields replaced, for logging."""
    if isinstance(value, Mapping):
        return {
            key: REDACTED if key in SECRET_FIELDS else redact(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


class Transport:
    """The connection to Daraja that `DarajaClient`'s calls share."""

    TOKEN_SAFETY_MARGIN_SECONDS = 60
    TOKEN_LOCK_POLL_SECONDS = 0.05

    def __init__(
        self,
        config: DarajaConfig,
        *,
        retries: int = 3,
        backoff_seconds: float = 0.5,
        backoff_cap_seconds: float = 8.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.base_url = config.base_url.rstrip("/")
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self.backoff_cap_seconds = backoff_cap_seconds
        self._sleep = sleep
        self._local = threading.local()
        self._token_key = f"mpesa:daraja-token:{config.consumer_key}"
        self._lock_key = f"{self._token_key}:lock"
        # Long enough for one token request with its back-off; short enough that a crashed
        # holder blocks the others only briefly.
        self._lock_seconds = int(config.timeout_seconds) + 5

    # --- OAuth ---------------------------------------------------------------------------

    def access_token(self, *, replacing: str | None = None) -> str:
        """The shared token, fetched by one process at a time.

        `replacing` is a token Daraja just refused: it is dropped only if the cache still holds
        it (another process may already have stored its successor), under the refresh lock.
        """
        deadline = time.monotonic() + self._lock_seconds + 1
        while True:
            token = cache.get(self._token_key)
            if token and token != replacing:
                return str(token)
            owner = uuid.uuid4().hex
            if cache.add(self._lock_key, owner, self._lock_seconds):
                try:
                    token = cache.get(self._token_key)
                    if token and token != replacing:
                        return str(token)
                    return self._fetch_token()
                finally:
                    if cache.get(self._lock_key) == owner:
                        cache.delete(self._lock_key)
            if time.monotonic() >= deadline:
                raise DarajaError(
                    "token_unavailable",
                    "Another process is fetching the Daraja token and has not finished.",
                    retryable=True,
                )
            time.sleep(self.TOKEN_LOCK_POLL_SECONDS)

    def _fetch_token(self) -> str:
        body = self._request(
            "GET",
            "/oauth/v1/generate?grant_type=client_credentials",
            auth=(self.config.consumer_key, self.config.consumer_secret),
            idempotent=True,
        )
        try:
            token = str(body["access_token"])
            # expires_in arrives as a number or as a string ("3599").
            expires_in = int(float(body["expires_in"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise DarajaError("invalid_response", "The token reply has no usable token.") from exc
        lifetime = max(expires_in - self.TOKEN_SAFETY_MARGIN_SECONDS, 1)
        cache.set(self._token_key, token, lifetime)
        return token

    # --- HTTP ----------------------------------------------------------------------------

    def _api(self, path: str, payload: dict[str, Any], *, idempotent: bool) -> dict[str, Any]:
        """POST with the shared bearer token; a refused token is replaced and the call retried
        once (Daraja refuses a token as soon as anyone fetches a new one)."""
        token = self.access_token()
        try:
            return self._request(
                "POST", path, json_body=payload, token=token, idempotent=idempotent
            )
        except DarajaError as exc:
            if exc.code != INVALID_ACCESS_TOKEN:
                raise
        token = self.access_token(replacing=token)
        return self._request("POST", path, json_body=payload, token=token, idempotent=idempotent)

    def _session(self) -> requests.Session:
        # Sessions pool connections but are not documented as thread-safe: one per thread.
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _backoff(self, attempt: int) -> None:
        delay = min(self.backoff_cap_seconds, self.backoff_seconds * 2 ** (attempt - 1))
        # Jitter spreads the retries of many workers refused at the same moment.
        self._sleep(delay * random.uniform(0.5, 1.0))  # noqa: S311 - not for secrets

    def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None = None,
        token: str | None = None,
        auth: tuple[str, str] | None = None,
        idempotent: bool,
    ) -> dict[str, Any]:
        url = f"{self.base_url}{path}"
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        attempt = 0
        while True:
            logger.info(
                "Daraja request %s %s headers=%s body=%s",
                method,
                path,
                _redact_headers(headers, basic=auth is not None),
                json.dumps(redact(json_body)) if json_body is not None else "",
            )
            started = time.monotonic()
            try:
                response = self._session().request(
                    method,
                    url,
                    json=json_body,
                    headers=headers,
                    auth=auth,
                    timeout=self.config.timeout_seconds,
                )
            except requests.RequestException as exc:
                if _not_sent(exc):
                    logger.warning("Daraja %s %s not sent: %s", method, path, exc)
                    if attempt < self.retries:
                        attempt += 1
                        self._backoff(attempt)
                        continue
                    raise DarajaError(
                        "connection_error", f"Could not reach Daraja: {exc}", retryable=True
                    ) from exc
                if isinstance(exc, requests.exceptions.SSLError):
                    raise DarajaError(
                        "connection_error", f"TLS with Daraja failed: {exc}", retryable=True
                    ) from exc
                if not isinstance(exc, UNANSWERED):
                    raise DarajaError("request_error", f"Cannot send to Daraja: {exc}") from exc
                logger.warning("Daraja %s %s sent but not answered: %s", method, path, exc)
                raise DarajaTimeout(
                    "timeout",
                    f"Daraja did not answer {path} in time; the outcome is unknown.",
                    retryable=idempotent,
                ) from exc
            body = json_or_none(response)
            logger.info(
                "Daraja response %s %s status=%s in %.0f ms body=%s",
                method,
                path,
                response.status_code,
                (time.monotonic() - started) * 1000,
                json.dumps(redact(body)) if body is not None else response.text[:500],
            )
            error = gateway_error(response, body)
            if error is None:
                assert body is not None
                return body
            if error.code in BACK_OFF_CODES and attempt < self.retries:
                attempt += 1
                self._backoff(attempt)
                continue
            raise error


def _not_sent(exc: requests.RequestException) -> bool:
    """True when the connection failed before any byte of the request reached Daraja."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError):
        return False
    # requests wraps urllib3's MaxRetryError, whose reason is NewConnectionError (refused,
    # DNS) or ConnectTimeoutError; NewConnectionError subclasses ConnectTimeoutError.
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, ConnectTimeoutError)


def _redact_headers(headers: Mapping[str, str], *, basic: bool) -> dict[str, str]:
    shown = {
        key: REDACTED if key.lower() in SECRET_HEADERS else value for key, value in headers.items()
    }
    if basic:
        shown["Authorization"] = f"Basic {REDACTED}"
    return shown
