"""The base of every endpoint under chamas/{chama_id}/.

Before any handler runs it resolves the chama and the caller's active membership from the URL:
someone who is not an active member gets 404, so a chama's existence is never revealed; then
the action's roles are checked (403). Views scope their QuerySets with ``self.chama``.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from rest_framework import exceptions, viewsets
from rest_framework.request import Request

from accounts.api.auth import user_of
from core.api.pagination import LimitOffsetPagination
from core.exceptions import ValidationFailed
from groups.choices import ALL_ROLES, OFFICIAL_ROLES
from groups.models import Chama, Membership
from groups.selectors import membership_get_active
from groups.services import UNKNOWN_MEMBER

UUID_RE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
ROLE_DENIED = "Your role in this chama does not allow this action."
READ_ACTIONS = frozenset({"list", "retrieve", "metadata"})


class ChamaScopedViewSet(viewsets.GenericViewSet):
    chama_url_kwarg = "chama_id"
    lookup_value_regex = UUID_RE
    # Who may do what: reads are open to every active member, writes to officials; a view
    # overrides single actions in ``action_roles`` (e.g. {"partial_update": {Role.CHAIR}}).
    read_roles: frozenset[str] = frozenset(ALL_ROLES)
    write_roles: frozenset[str] = frozenset(OFFICIAL_ROLES)
    action_roles: dict[str, frozenset[str]] = {}

    chama: Chama
    membership: Membership

    def is_chama_scoped(self) -> bool:
        return self.chama_url_kwarg in self.kwargs

    def roles_for_action(self) -> frozenset[str]:
        action = self.action or ""
        if action in self.action_roles:
            return self.action_roles[action]
        return self.read_roles if action in READ_ACTIONS else self.write_roles

    def forbids_some_roles(self) -> bool:
        """Whether the action turns some of the chama's members away (403): the OpenAPI
        schema documents the 403 then (core.api.openapi)."""
        return not frozenset(ALL_ROLES) <= self.roles_for_action()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication first: anonymous → 401
        if not self.is_chama_scoped():
            return
        membership = membership_get_active(
            chama_id=self.kwargs[self.chama_url_kwarg], user=user_of(request)
        )
        if membership is None:
            raise exceptions.NotFound()
        self.membership = membership
        self.chama = membership.chama
        if membership.role not in self.roles_for_action():
            raise exceptions.PermissionDenied(ROLE_DENIED)

    def paginate_values(self, queryset: QuerySet[Any], columns: Sequence[str]) -> list[Any]:
        """A page of the filtered ``queryset`` read as values (see the pagination's own)."""
        paginator: LimitOffsetPagination = self.paginator  # type: ignore[assignment]
        return paginator.paginate_values(
            self.filter_queryset(queryset), columns, self.request, view=self
        )

    @property
    def is_official(self) -> bool:
        return self.membership.role in OFFICIAL_ROLES

    def member_get(self, member_id: UUID | str, field: str = "member_id") -> Membership:
        """A member of this chama named in the request body; 400 ``unknown_member`` if not."""
        member = (
            Membership.objects.filter(chama=self.chama, pk=member_id).select_related("user").first()
        )
        if member is None:
            raise ValidationFailed(UNKNOWN_MEMBER, code="unknown_member", field=field)
        return member

    @property
    def is_schema_generation(self) -> bool:
        """True while drf-spectacular inspects the view without a request."""
        return bool(getattr(self, "swagger_fake_view", False))
