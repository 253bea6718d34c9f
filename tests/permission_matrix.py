"""Permission matrices: every endpoint of an area against every role.

A matrix is a list of ``(method, url, body, admitted)``: ``url`` may be a callable of the role
(each role needs its own target), ``body`` a callable (a multipart form built afresh for each
request), None (no body) or JSON; ``admitted`` the roles the action admits. Anonymous → 401;
signed in but not a member → 404; a role the action does not admit → 403
``permission_denied``; an admitted role passes the permission checks.
"""

from collections.abc import Callable, Collection
from typing import Any

import pytest

ROLES = ["chair", "treasurer", "secretary", "auditor", "member"]
EVERY_MEMBER = frozenset(ROLES)
OFFICIALS = frozenset({"chair", "treasurer", "secretary"})
# What an admitted role may still be told: anything but the refusals of access.
REFUSALS = frozenset({401, 403, 404})


def matrix_call(client: Any, method: str, url: str, body: Any = None) -> Any:
    """One request of a matrix (see the module's docstring for ``body``)."""
    if callable(body):
        return getattr(client, method.lower())(url, body(), format="multipart")
    if body is None or method == "GET":
        return client.generic(method, url)
    return getattr(client, method.lower())(url, body, format="json")


def assert_admitted_or_refused(
    response: Any,
    role: str,
    admitted: Collection[str],
    *,
    statuses: Collection[int] | None = None,
    refused_code: str = "permission_denied",
) -> None:
    """An admitted role gets one of ``statuses`` (None: anything but a refusal of access);
    any other role 403 with ``refused_code``."""
    if role in admitted:
        if statuses is None:
            assert response.status_code not in REFUSALS, response.content
        else:
            assert response.status_code in statuses, response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["errors"][0]["code"] == refused_code


def matrix_tests(
    count: int, *, statuses: Collection[int] | None = None
) -> tuple[Callable[..., None], ...]:
    """The three tests of a module whose ``matrix`` fixture lists ``count`` endpoints and whose
    ``club`` fixture has a client per role plus ``anonymous`` and ``outsider``. Assign them to
    module-level ``test_…`` names so pytest collects them."""

    def test_the_matrix_covers_every_endpoint(matrix: list[Any]) -> None:
        assert len(matrix) == count

    @pytest.mark.parametrize("index", range(count))
    def test_anonymous_is_401_and_outsider_is_404(club: Any, matrix: list[Any], index: int) -> None:
        method, url, body, _ = matrix[index]
        url = url("chair") if callable(url) else url

        assert matrix_call(club.clients["anonymous"], method, url, body).status_code == 401
        assert matrix_call(club.clients["outsider"], method, url, body).status_code == 404

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("index", range(count))
    def test_each_role_is_admitted_or_refused(
        club: Any, matrix: list[Any], index: int, role: str
    ) -> None:
        method, url, body, admitted = matrix[index]
        url = url(role) if callable(url) else url

        response = matrix_call(club.clients[role], method, url, body)

        assert_admitted_or_refused(response, role, admitted, statuses=statuses)

    return (
        test_the_matrix_covers_every_endpoint,
        test_anonymous_is_401_and_outsider_is_404,
        test_each_role_is_admitted_or_refused,
    )
