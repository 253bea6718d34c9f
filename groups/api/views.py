from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.auth import user_of
from groups import selectors, services
from groups.api.filters import MembershipFilter
from groups.api.scoping import ChamaScopedViewSet
from groups.api.serializers import (
    MEMBERSHIP_COLUMNS,
    ChamaCreateInputSerializer,
    ChamaOutputSerializer,
    ChamaUpdateInputSerializer,
    MembershipAddInputSerializer,
    MembershipOutputSerializer,
    MembershipUpdateInputSerializer,
    membership_rows,
)
from groups.choices import Role
from groups.models import Chama, Membership


class ChamaViewSet(mixins.ListModelMixin, ChamaScopedViewSet):
    """chamas/ (my chamas; anyone signed in may create one) and chamas/{chama_id}/."""

    lookup_url_kwarg = "chama_id"
    serializer_class = ChamaOutputSerializer
    action_roles = {"partial_update": frozenset({Role.CHAIR})}

    def get_queryset(self) -> QuerySet[Chama]:
        if self.is_schema_generation:
            return QuerySet(Chama).none()
        return selectors.chama_list_for_user(user=user_of(self.request))

    def _output(self, chama: Chama) -> dict[str, Any]:
        return ChamaOutputSerializer(self.get_queryset().get(pk=chama.pk)).data

    @extend_schema(
        summary="Start a chama (you become its chair)",
        request=ChamaCreateInputSerializer,
        responses={201: ChamaOutputSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = ChamaCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        chama = services.chama_create(creator=user_of(request), **serializer.validated_data)
        return Response(self._output(chama), status=status.HTTP_201_CREATED)

    @extend_schema(summary="A chama's settings")
    def retrieve(self, request: Request, chama_id: str) -> Response:
        return Response(self._output(self.chama))

    @extend_schema(
        summary="Change a chama's settings (chair)",
        request=ChamaUpdateInputSerializer,
        responses={200: ChamaOutputSerializer},
    )
    def partial_update(self, request: Request, chama_id: str) -> Response:
        serializer = ChamaUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        chama = services.chama_update(chama=self.chama, data=dict(serializer.validated_data))
        return Response(self._output(chama))


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """chamas/{chama_id}/members/: officials add and manage members; every member reads."""

    lookup_url_kwarg = "member_id"
    serializer_class = MembershipOutputSerializer
    filterset_class = MembershipFilter

    def get_queryset(self) -> QuerySet[Membership]:
        if self.is_schema_generation:
            return QuerySet(Membership).none()
        return selectors.membership_list(chama=self.chama)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "viewer": getattr(self, "membership", None)}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A page read as values and written by membership_rows, as the serializer would.
        memberships = self.get_queryset()
        annotated = memberships.query.annotations
        columns = [c for c in MEMBERSHIP_COLUMNS if c in annotated or c != "compliance_rate"]
        page = self.paginate_values(memberships, columns)
        return self.get_paginated_response(membership_rows(page, viewer=self.membership))

    def _output(self, membership: Membership, **kwargs: Any) -> Response:
        # Read back through the list query so computed figures (compliance_rate) are present.
        membership = self.get_queryset().get(pk=membership.pk)
        data = MembershipOutputSerializer(membership, context=self.get_serializer_context()).data
        return Response(data, **kwargs)

    @extend_schema(
        summary="Add a member (linked to their account, or invited)",
        request=MembershipAddInputSerializer,
        responses={201: MembershipOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        serializer = MembershipAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_add(
            chama=self.chama, actor=self.membership, **serializer.validated_data
        )
        return self._output(membership, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a member's role, seat, status or payout phone",
        request=MembershipUpdateInputSerializer,
        responses={200: MembershipOutputSerializer},
    )
    def partial_update(self, request: Request, chama_id: str, member_id: str) -> Response:
        serializer = MembershipUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_update(
            membership=self.get_object(),
            actor=self.membership,
            data=dict(serializer.validated_data),
        )
        return self._output(membership)
