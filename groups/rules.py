"""Who may act, written once for every decision service.

A decision service takes ``acting``, the caller's Membership, and asks here: is ``acting`` an
official of this chama (and not one of the makers of what it decides — maker-checker), and
may ``acting`` act for the member named (a member acts for themselves; an official for anyone
in the chama). Each service names the error its own refusal reads as.
"""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from core.exceptions import ErrorCode, PermissionDeniedError
from groups.choices import OFFICIAL_ROLES, MembershipStatus
from groups.models import Membership


def holds_office(acting: Membership, *, chama_id: UUID, roles: frozenset[str]) -> bool:
    return (
        acting.chama_id == chama_id
        and acting.status == MembershipStatus.ACTIVE
        and acting.role in roles
    )


def official_check(
    acting: Membership,
    *,
    chama_id: UUID,
    refused: ErrorCode,
    makers: Iterable[Any] = (),
    maker_refused: ErrorCode | None = None,
    roles: frozenset[str] = OFFICIAL_ROLES,
) -> None:
    """``acting`` must hold one of ``roles`` in the chama; with ``makers`` (the user ids of
    whoever requested or benefits from what is decided), ``acting`` must be none of them."""
    if not holds_office(acting, chama_id=chama_id, roles=roles):
        raise PermissionDeniedError(refused)
    if maker_refused is not None and acting.user_id in set(makers):
        raise PermissionDeniedError(maker_refused)


def acting_for(acting: Membership, member: Membership | None, *, refused: ErrorCode) -> Membership:
    """The member an action is for: ``acting`` itself unless another member is named, which
    only an official of the same chama may do."""
    if member is None or member.pk == acting.pk:
        return acting
    if not holds_office(acting, chama_id=member.chama_id, roles=OFFICIAL_ROLES):
        raise PermissionDeniedError(refused)
    return member
