"""Domain errors raised by services and turned into API errors by one handler.

Services never import DRF: they raise these with a stable machine-readable code from their
app's ``ErrorCode`` enum; the API handler (core.api.errors) maps them to the one error shape,
the admin shows the message, and the OpenAPI schema lists, per endpoint, the codes it can
return (core.api.error_codes reads them from the code).
"""

from enum import StrEnum
from typing import Self


class ErrorCode(StrEnum):
    """The base of each app's error codes: a member is the wire code clients read in
    ``errors[].code`` (its str value, stable) with the message template shown with it.

    Declared as ``NAME = "wire_code", "Message with {placeholders}."``. Several members may
    share a wire code with different messages (``insufficient_funds`` from the ledger and from
    the welfare fund): the enum keys its members by the pair, so they stay distinct members,
    while ``value``, ``str()`` and the member itself as a string are the wire code.
    """

    message: str

    def __new__(cls, code: str, message: str) -> Self:
        member = str.__new__(cls, code)
        member._value_ = (code, message)  # type: ignore[assignment]
        member.message = message
        return member

    @property
    def value(self) -> str:
        return str.__str__(self)

    def render(self, **fields: object) -> str:
        """The message with its placeholders filled in."""
        return self.message.format(**fields)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self.name}: {self.value!r}>"


class CoreError(ErrorCode):
    """What the API itself answers before any app's rules: unreadable input and bad values
    of the shared fields (phone numbers, the unknown fields of a body)."""

    # The parser says which: not UTF-8, not JSON, or nested too deep (core.jsontext).
    MALFORMED_JSON = "malformed_json", "The body is not JSON, or nests too deep."
    PAYLOAD_TOO_LARGE = (
        "payload_too_large",
        "The request body is larger than the API accepts. At most {limit} bytes.",
    )
    UNKNOWN_FIELD = "unknown_field", "This field is not accepted here."
    INVALID_IDEMPOTENCY_KEY = (
        "invalid_idempotency_key",
        "Use a key of at most {limit} printable characters.",
    )
    INVALID_PHONE = (
        "invalid_phone",
        "Enter a valid phone number, such as 0712345678 or +254712345678.",
    )
    PHONE_NOT_KENYAN = (
        "phone_not_kenyan",
        "Enter a Kenyan mobile number (+254); numbers from other countries are not supported.",
    )
    PHONE_NOT_MOBILE = "phone_not_mobile", "Enter a mobile number: landlines cannot receive M-Pesa."
    # A JSON value of another type than its field's, a text longer than its field takes, a
    # page's limit or offset that is not a whole number in range (the messages vary).
    WRONG_TYPE = "invalid", "A value of the field's type is required."
    TOO_LONG = "max_length", "Ensure this field has no more than {max_length} characters."
    BAD_PAGING = "invalid", "A whole number in range is required."
    NOT_FOUND = "not_found", "Not found."
    BAD_REQUEST = "bad_request", "The request could not be read."
    SERVER_ERROR = "error", "A server error occurred."


class DomainError(Exception):
    """``error`` names the code and the message; ``fields`` fill the message's placeholders
    (``detail`` replaces the message when it was written elsewhere, e.g. by a pure module).
    ``field`` is the input the error is about: a 400 with a field answers as that field's
    validation error."""

    status_code = 400

    def __init__(
        self,
        error: ErrorCode,
        /,
        *,
        field: str | None = None,
        detail: str | None = None,
        **fields: object,
    ) -> None:
        message = error.render(**fields) if detail is None else detail
        super().__init__(message)
        self.message = message
        self.code = error
        self.field = field


class ValidationFailed(DomainError):
    """The request is well formed but breaks a rule (400)."""


class NotAuthenticatedError(DomainError):
    """The credentials do not identify an active user (401)."""

    status_code = 401


class PermissionDeniedError(DomainError):
    """The caller's role does not allow this action (403)."""

    status_code = 403


class NotFoundError(DomainError):
    """The object does not exist or is not visible to the caller (404)."""

    status_code = 404


class ConflictError(DomainError):
    """The request conflicts with the current state: a duplicate, a limit, a race lost (409)."""

    status_code = 409


class UpstreamUnavailable(DomainError):
    """A provider we depend on (M-Pesa) did not accept the request; nothing was written (503)."""

    status_code = 503
