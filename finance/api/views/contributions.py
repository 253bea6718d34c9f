"""chamas/{chama_id}/contributions/: officials record money paid in; treasurers reconcile."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.auth import user_of
from core.api.idempotency import idempotency_key_of
from finance import selectors
from finance.api.filters import ContributionFilter
from finance.api.serializers.contributions import (
    CONTRIBUTION_COLUMNS,
    ContributionOutputSerializer,
    ContributionRecordInputSerializer,
    ContributionReverseInputSerializer,
    contribution_rows,
)
from finance.dates import paid_at_check
from finance.models import Contribution
from finance.services.contributions import (
    contribution_confirm,
    contribution_record,
    contribution_reverse,
)
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import RECONCILER_ROLES


class ContributionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    lookup_url_kwarg = "contribution_id"
    target_name = "contribution"
    serializer_class = ContributionOutputSerializer
    filterset_class = ContributionFilter
    action_roles = {"confirm": RECONCILER_ROLES, "reverse": RECONCILER_ROLES}

    def get_queryset(self) -> QuerySet[Contribution]:
        if self.is_schema_generation:
            return QuerySet(Contribution).none()
        return selectors.contribution_list(chama=self.chama)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A page read as values and written by contribution_rows, as the serializer would.
        page = self.paginate_values(self.get_queryset(), CONTRIBUTION_COLUMNS)
        return self.get_paginated_response(contribution_rows(page))

    @extend_schema(
        summary="Record a contribution (a confirmed one posts to the ledger and settles dues)",
        request=ContributionRecordInputSerializer,
        responses={201: ContributionOutputSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=(
                    "Retry-safe key (up to 100 characters): the same key with the same body "
                    "returns the first contribution; with another body, 409 idempotency_mismatch."
                ),
            )
        ],
    )
    def create(self, request: Request, chama_id: str) -> Response:
        serializer = ContributionRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.get("paid_at"):
            paid_at_check(chama=self.chama, paid_at=data["paid_at"])
        contribution = contribution_record(
            chama=self.chama,
            membership=data.pop("member_id"),  # read under its lock by the service
            amount=data["amount"],
            method=data["method"],
            status=data["status"],
            mpesa_receipt=data.get("mpesa_receipt"),
            paid_at=data.get("paid_at"),
            reference=data.get("reference", ""),
            recorded_by=user_of(request),
            idempotency_key=idempotency_key_of(request),
        )
        if not Contribution.membership.is_cached(contribution):
            return self.respond(contribution, status=status.HTTP_201_CREATED)  # a replay
        # Made just now under the member's lock, with the member and user read: as fresh as
        # a second read would be.
        return Response(
            ContributionOutputSerializer(contribution).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Confirm a pending cash or bank contribution (treasurer)",
        request=None,
        responses={200: ContributionOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, chama_id: str, contribution_id: str) -> Response:
        return self.transition(contribution_confirm)

    @extend_schema(
        summary="Reverse a confirmed contribution: posts a reversal and reopens its dues",
        request=ContributionReverseInputSerializer,
        responses={200: ContributionOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, chama_id: str, contribution_id: str) -> Response:
        return self.transition(
            contribution_reverse, input_serializer=ContributionReverseInputSerializer
        )
