"""URLs and error-shape assertions shared by the groups tests."""

from typing import Any
from uuid import UUID

from django.db.models import Model
from rest_framework.response import Response

from groups import services
from groups.choices import MembershipStatus
from groups.models import Chama, Membership
from tests.factories import add_member

API = "/api/v1"


def chamas_url() -> str:
    return f"{API}/chamas/"


def chama_url(chama_id: UUID | str) -> str:
    return f"{API}/chamas/{chama_id}/"


def members_url(chama_id: UUID | str) -> str:
    return f"{API}/chamas/{chama_id}/members/"


def member_url(chama_id: UUID | str, member_id: UUID | str) -> str:
    return f"{API}/chamas/{chama_id}/members/{member_id}/"


def errors_of(response: Response) -> list[tuple[str, str | None]]:
    """The (code, attr) pairs of an error response, after checking the one error shape."""
    body = response.json()
    assert set(body) == {"type", "errors"}, body
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}, error
    return [(error["code"], error["attr"]) for error in body["errors"]]


def assert_error(
    response: Response,
    *,
    status: int,
    code: str,
    attr: str | None = None,
    detail: str | None = None,
    error_type: str | None = None,
) -> dict[str, Any]:
    """Exactly one error with this status, type, code and attr (and detail, when given).

    The type defaults to what the contract gives: ``validation_error`` for a 400 raised by
    validation, ``client_error`` for every other 4xx.
    """
    assert response.status_code == status, response.content
    assert errors_of(response) == [(code, attr)], response.content
    body: dict[str, Any] = response.json()
    if error_type is None:
        error_type = "validation_error" if status == 400 else "client_error"
    assert body["type"] == error_type, body
    if detail is not None:
        assert body["errors"][0]["detail"] == detail, body
    return body


def reload(instance: Model) -> Any:
    return type(instance).objects.get(pk=instance.pk)


def fill_to(chama: Chama, active: int) -> list[Membership]:
    """Add plain members (through the service) until the chama has ``active`` active members."""
    have = chama.memberships.filter(status=MembershipStatus.ACTIVE).count()
    return [add_member(chama) for _ in range(active - have)]


def set_status(membership: Membership, status: str) -> Membership:
    return services.membership_update(membership=membership, actor=None, data={"status": status})
