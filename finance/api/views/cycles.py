"""Cycles, round summaries and pot payouts."""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.auth import user_of
from finance.api.filters import PayoutFilter
from finance.api.serializers.cycles import (
    CycleCreateInputSerializer,
    CycleOutputSerializer,
    PayoutDecisionInputSerializer,
    PayoutOutputSerializer,
    PayoutRequestInputSerializer,
    RoundSummaryOutputSerializer,
)
from finance.dates import cycle_start_check
from finance.models import Cycle, Payout, Round
from finance.rounds import round_summary_get
from finance.services.cycles import cycle_create
from finance.services.payouts import payout_approve, payout_reject, payout_request
from groups.api.scoping import ChamaScopedViewSet


class CycleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """chamas/{chama_id}/cycles/: officials start a cycle; every member reads them."""

    lookup_url_kwarg = "cycle_id"
    serializer_class = CycleOutputSerializer

    def get_queryset(self) -> QuerySet[Cycle]:
        if self.is_schema_generation:
            return Cycle.objects.none()
        rounds = Round.objects.select_related("recipient__user").order_by("number")
        return (
            Cycle.objects.filter(chama=self.chama)
            .prefetch_related(Prefetch("rounds", queryset=rounds))
            .order_by("-number")
        )

    @extend_schema(
        summary="Start a cycle: one round per active member in seat order, and their dues",
        request=CycleCreateInputSerializer,
        responses={201: CycleOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        serializer = CycleCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cycle_start_check(chama=self.chama, start_date=serializer.validated_data["start_date"])
        cycle = cycle_create(
            chama=self.chama,
            start_date=serializer.validated_data["start_date"],
            created_by=user_of(request),
        )
        data = CycleOutputSerializer(self.get_queryset().get(pk=cycle.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)


class RoundViewSet(ChamaScopedViewSet):
    """chamas/{chama_id}/rounds/{round_id}/ (summary) and .../payout/ (request the pot)."""

    lookup_url_kwarg = "round_id"

    def get_queryset(self) -> QuerySet[Round]:
        if self.is_schema_generation:
            return Round.objects.none()
        return Round.objects.filter(chama=self.chama).select_related("cycle", "recipient__user")

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
        serializer = PayoutRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payout = payout_request(
            round=self.get_object(),
            requested_by=self.membership,
            method=serializer.validated_data["method"],
            override_reason=serializer.validated_data.get("override_reason", ""),
            kind=serializer.validated_data.get("kind"),
        )
        return Response(PayoutViewSet.output(payout), status=status.HTTP_201_CREATED)


class PayoutViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """chamas/{chama_id}/payouts/: the maker-checker queue of pot payouts."""

    lookup_url_kwarg = "payout_id"
    serializer_class = PayoutOutputSerializer
    filterset_class = PayoutFilter

    def get_queryset(self) -> QuerySet[Payout]:
        if self.is_schema_generation:
            return Payout.objects.none()
        return Payout.objects.filter(chama=self.chama).select_related(
            "recipient__user", "requested_by", "decided_by"
        )

    @staticmethod
    def output(payout: Payout) -> dict[str, object]:
        fresh = Payout.objects.select_related("recipient__user", "requested_by", "decided_by").get(
            pk=payout.pk
        )
        return dict(PayoutOutputSerializer(fresh).data)

    @extend_schema(
        summary="Approve a payout requested by another official: the pot's balance leaves",
        description="Pays what the pot holds at this moment, which may exceed the amount "
        "requested. Errors: 403 same_official; 409 payout_not_requested, pot_empty, "
        "insufficient_funds.",
        request=None,
        responses={200: PayoutOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, chama_id: str, payout_id: str) -> Response:
        payout = payout_approve(payout=self.get_object(), approved_by=self.membership)
        return Response(self.output(payout))

    @extend_schema(
        summary="Reject a requested payout: the round is payable again",
        request=PayoutDecisionInputSerializer,
        responses={200: PayoutOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, chama_id: str, payout_id: str) -> Response:
        serializer = PayoutDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payout = payout_reject(
            payout=self.get_object(),
            rejected_by=self.membership,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(self.output(payout))
