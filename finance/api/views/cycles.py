"""Cycles, round summaries and pot payouts."""

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from finance import selectors
from finance.api.filters import PayoutFilter
from finance.api.serializers.cycles import (
    CycleCreateInputSerializer,
    CycleOutputSerializer,
    PayoutDecisionInputSerializer,
    PayoutOutputSerializer,
    PayoutRequestInputSerializer,
    RoundSummaryOutputSerializer,
)
from finance.models import Cycle, Payout, Round
from finance.rounds import round_summary_get
from finance.services.cycles import cycle_create
from finance.services.payouts import payout_approve, payout_reject, payout_request
from groups.api.approvals import SignatureCommentInputSerializer
from groups.api.scoping import ChamaScopedViewSet


class CycleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """chamas/{chama_id}/cycles/: officials start a cycle; every member reads them."""

    lookup_url_kwarg = "cycle_id"
    serializer_class = CycleOutputSerializer

    def get_queryset(self) -> QuerySet[Cycle]:
        if self.is_schema_generation:
            return QuerySet(Cycle).none()
        return selectors.cycle_list(chama=self.chama)

    @extend_schema(
        summary="Start a cycle: one round per active member in seat order, and their dues",
        request=CycleCreateInputSerializer,
        responses={201: CycleOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(cycle_create, input_serializer=CycleCreateInputSerializer)


class RoundViewSet(ChamaScopedViewSet):
    """chamas/{chama_id}/rounds/{round_id}/ (summary) and .../payout/ (request the pot)."""

    lookup_url_kwarg = "round_id"
    target_name = "round"

    def get_queryset(self) -> QuerySet[Round]:
        if self.is_schema_generation:
            return QuerySet(Round).none()
        return selectors.round_list(chama=self.chama)

    def respond(self, obj: Model, *, status: int = 200) -> Response:
        """A round's write is a payout request: answered as the payout queue shows it."""
        fresh = selectors.payout_list(chama=self.chama).get(pk=obj.pk)
        return Response(PayoutOutputSerializer(fresh).data, status=status)

    @extend_schema(summary="Round summary", responses={200: RoundSummaryOutputSerializer})
    def retrieve(self, request: Request, chama_id: str, round_id: str) -> Response:
        summary = round_summary_get(round=self.get_object())
        return Response(RoundSummaryOutputSerializer(summary).data)

    @extend_schema(
        summary="Request the pot's payout to the recipient, or a top-up of a paid pot "
        "(approved by another official)",
        description="Errors: 409 not_disbursable, payout_exists, nothing_to_pay, "
        "round_not_paid (a top-up of a round not paid out), pot_empty (a top-up with nothing "
        "to pay); 403 override_chair_only; 400 method_unavailable.",
        request=PayoutRequestInputSerializer,
        responses={201: PayoutOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def payout(self, request: Request, chama_id: str, round_id: str) -> Response:
        return self.transition(
            payout_request,
            input_serializer=PayoutRequestInputSerializer,
            status=status.HTTP_201_CREATED,
        )


class PayoutViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """chamas/{chama_id}/payouts/: the maker-checker queue of pot payouts."""

    lookup_url_kwarg = "payout_id"
    target_name = "payout"
    serializer_class = PayoutOutputSerializer
    filterset_class = PayoutFilter

    def get_queryset(self) -> QuerySet[Payout]:
        if self.is_schema_generation:
            return QuerySet(Payout).none()
        return selectors.payout_list(chama=self.chama)

    @extend_schema(
        summary="Approve a payout requested by another official: the pot's balance leaves",
        description="Signs the approval; the last signature the chama's approval rule needs "
        "(one by default; the chair's among them above its threshold) pays what the pot holds "
        "at that moment, which may exceed the amount requested. Until then the payout stays "
        "requested and shows signatures_missing. Errors: 403 same_official; 409 "
        "payout_not_requested, pot_empty, insufficient_funds, already_signed.",
        request=SignatureCommentInputSerializer,
        responses={200: PayoutOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, chama_id: str, payout_id: str) -> Response:
        return self.transition(payout_approve, input_serializer=SignatureCommentInputSerializer)

    @extend_schema(
        summary="Reject a requested payout: the round is payable again",
        request=PayoutDecisionInputSerializer,
        responses={200: PayoutOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, chama_id: str, payout_id: str) -> Response:
        return self.transition(payout_reject, input_serializer=PayoutDecisionInputSerializer)
