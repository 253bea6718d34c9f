"""The base of every endpoint under chamas/{chama_id}/.

Before any handler runs it resolves the chama and the caller's active membership from the URL:
someone who is not an active member gets 404, so a chama's existence is never revealed; then
the action's roles are checked (403). Views scope their QuerySets with ``self.chama``.
"""

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from django.db.models import Model, QuerySet
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.auth import user_of
from core.api.pagination import LimitOffsetPagination
from core.exceptions import PermissionDeniedError
from groups.api.fields import chama_member_get
from groups.choices import ALL_ROLES, OFFICIAL_ROLES
from groups.exceptions import GroupsError
from groups.models import Chama, Membership
from groups.selectors import membership_get_active

UUID_RE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
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
            raise PermissionDeniedError(GroupsError.ROLE_DENIED)

    def paginate_values(self, queryset: QuerySet[Any], columns: Sequence[str]) -> list[Any]:
        """A page of the filtered ``queryset`` read as values (see the pagination's own)."""
        paginator: LimitOffsetPagination = self.paginator  # type: ignore[assignment]
        return paginator.paginate_values(
            self.filter_queryset(queryset), columns, self.request, view=self
        )

    @property
    def is_official(self) -> bool:
        return self.membership.role in OFFICIAL_ROLES

    # The keyword a decision service takes the object of the URL by (``claim``, ``loan``...).
    target_name = ""

    def validated(self, serializer_class: type[serializers.Serializer] | None) -> dict[str, Any]:
        """The request body read by an input serializer (400 in the error shape)."""
        if serializer_class is None:
            return {}
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def get_detail_queryset(self) -> QuerySet[Any]:
        """What ``respond`` re-reads an object from: the view's queryset, unless one object's
        page needs more (its related rows) than finding it does."""
        return self.get_queryset()

    def respond(self, obj: Model, *, status: int = 200) -> Response:
        """``obj`` as the view shows it: re-read through the view's selector and written by
        its output serializer."""
        fresh = self.get_detail_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=status)

    def transition(
        self,
        service: Callable[..., Model],
        *,
        input_serializer: type[serializers.Serializer] | None = None,
        status: int = 200,
        **arguments: Any,
    ) -> Response:
        """A write on the object of the URL, in one shape: the object (an unknown one is 404
        before any 400), the body validated, one service called with the object, ``acting``
        (the caller's membership) and the body, and the object re-read and written out."""
        target = self.get_object()
        data = self.validated(input_serializer)
        result = service(**{self.target_name: target}, acting=self.membership, **data, **arguments)
        return self.respond(result, status=status)

    def create_through(
        self,
        service: Callable[..., Model],
        *,
        input_serializer: type[serializers.Serializer],
        status: int = 201,
    ) -> Response:
        """A create in the chama: the body validated, one service called with the chama,
        ``acting`` and the body, and what it made re-read and written out."""
        data = self.validated(input_serializer)
        result = service(chama=self.chama, acting=self.membership, **data)
        return self.respond(result, status=status)

    def member_get(self, member_id: UUID | str, field: str = "member_id") -> Membership:
        """A member of this chama named in the request body; 400 ``unknown_member`` if not."""
        return chama_member_get(self.chama, member_id, field=field)

    @property
    def is_schema_generation(self) -> bool:
        """True while drf-spectacular inspects the view without a request."""
        return bool(getattr(self, "swagger_fake_view", False))
