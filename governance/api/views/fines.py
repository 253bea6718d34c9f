"""chamas/{chama_id}/fines/: officials fine members and record payments; the fined member
pays from savings; an official other than the issuer and the member waives."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from finance.choices import FineKind, FineStatus
from finance.models import Fine
from finance.services.fines import fine_issue
from governance.api.serializers.fines import (
    FineIssueInputSerializer,
    FineOutputSerializer,
    FinePayInputSerializer,
    FineWaiveInputSerializer,
    FineWaiverVoteOutputSerializer,
)
from governance.models import Vote
from governance.selectors.fines import fine_list
from governance.services.fine_waivers import fine_waive_request
from governance.services.fines import fine_settle
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import OFFICIAL_ROLES, Role


class FineFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FineStatus.choices)
    kind = django_filters.ChoiceFilter(choices=FineKind.choices)
    member = django_filters.UUIDFilter(field_name="membership_id")

    class Meta:
        model = Fine
        fields = ["status", "kind", "member"]


class FineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """Every member reads the chama's fines (its open records, DESIGN §4.1); officials issue,
    record payments and waive; a member pays their own from savings. The auditor reads."""

    lookup_url_kwarg = "fine_id"
    target_name = "fine"
    serializer_class = FineOutputSerializer
    filterset_class = FineFilter
    action_roles = {"pay": OFFICIAL_ROLES | {Role.MEMBER}}

    def get_queryset(self) -> QuerySet[Fine]:
        if self.is_schema_generation:
            return QuerySet(Fine).none()
        return fine_list(chama=self.chama)

    @extend_schema(summary="The chama's fines, newest first")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A fine")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Fine a member, saying why (officials)",
        request=FineIssueInputSerializer,
        responses={201: FineOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(fine_issue, input_serializer=FineIssueInputSerializer)

    @extend_schema(
        summary=(
            "Pay a fine: an official records money paid (all or part of what is left), or "
            "the fined member pays it from their savings"
        ),
        request=FinePayInputSerializer,
        responses={200: FineOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, chama_id: str, fine_id: str) -> Response:
        return self.transition(fine_settle, input_serializer=FinePayInputSerializer)

    @extend_schema(
        summary=(
            "Waive what is left of a fine, saying why (an official other than its issuer); "
            "over the constitution's waiver threshold, open the members' vote instead (202)"
        ),
        request=FineWaiveInputSerializer,
        responses={200: FineOutputSerializer, 202: FineWaiverVoteOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, chama_id: str, fine_id: str) -> Response:
        fine = self.get_object()
        data = self.validated(FineWaiveInputSerializer)
        done = fine_waive_request(fine=fine, acting=self.membership, **data)
        if isinstance(done, Vote):
            return Response(FineWaiverVoteOutputSerializer(done).data, status=202)
        return self.respond(done)
