"""Domain errors raised by services and turned into API errors by one handler.

Services never import DRF: they raise these with a stable machine-readable ``code``; the API
handler (core.api.errors) maps them to the one error shape, and admin actions show the message.
"""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
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
