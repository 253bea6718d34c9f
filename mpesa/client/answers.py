"""What Daraja answers: the acknowledgements, DarajaError, and how a reply is read as one or the
other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

# Gateway error codes (the {"requestId", "errorCode", "errorMessage"} envelope).
INVALID_ACCESS_TOKEN = "404.001.03"  # noqa: S105 (an error code, not a secret)
SPIKE_ARREST = "500.003.02"
QUOTA_VIOLATION = "500.003.03"
BACK_OFF_CODES = frozenset({SPIKE_ARREST, QUOTA_VIOLATION})


class DarajaError(Exception):
    """Daraja refused or failed a call.

    `code` is Daraja's error or response code (or one of ours: `connection_error`,
    `invalid_response`, `token_unavailable`, `unsupported`, `http_<status>`); `retryable` says
    whether sending the same request again later is safe and may succeed.
    """

    code: str
    message: str
    status: int | None
    retryable: bool

    def __init__(
        self, code: str, message: str, *, status: int | None = None, retryable: bool = False
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.retryable = retryable


class DarajaTimeout(DarajaError):
    """The request went out but no answer came in time: its outcome is unknown.

    Never resend a B2C payment after this: query its status instead.
    """


@dataclass(frozen=True)
class StkPushAck:
    merchant_request_id: str
    checkout_request_id: str
    customer_message: str


@dataclass(frozen=True)
class StkQueryResult:
    """`pending` while the member is still on the prompt; otherwise Daraja's result code."""

    pending: bool
    result_code: int | None
    result_desc: str


@dataclass(frozen=True)
class B2CAck:
    conversation_id: str
    originator_conversation_id: str


def json_or_none(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def gateway_error(response: requests.Response, body: dict[str, Any] | None) -> DarajaError | None:
    status = response.status_code
    if body is not None and "errorCode" in body:
        code = str(body["errorCode"])
        return DarajaError(
            code,
            str(body.get("errorMessage", "")),
            status=status,
            retryable=code in BACK_OFF_CODES,
        )
    if status >= 400:
        return DarajaError(f"http_{status}", response.text[:200] or response.reason, status=status)
    if body is None:
        return DarajaError(
            "invalid_response", "Daraja answered without a JSON object.", status=status
        )
    return None


def check_accepted(body: dict[str, Any]) -> None:
    """A 200 reply can still refuse the request with a non-zero ResponseCode."""
    code = body.get("ResponseCode")
    if code is not None and str(code) != "0":
        raise DarajaError(str(code), str(body.get("ResponseDescription", "")), status=200)
