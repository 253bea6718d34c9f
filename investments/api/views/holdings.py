"""chamas/{chama_id}/investments/ and portfolio/: the chama's holdings. Every member reads
them; the treasurer or the chair records a placement and a maturity (the auditor reads
everything and writes nothing)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from groups.api.scoping import ChamaScopedViewSet
from investments.api.serializers.holdings import (
    HoldingMatureInputSerializer,
    HoldingOutputSerializer,
    HoldingPlaceInputSerializer,
    PortfolioOutputSerializer,
)
from investments.models import Holding
from investments.selectors import holding_list, portfolio_get
from investments.services.maturity import holding_mature
from investments.services.placements import PLACERS, holding_place


class HoldingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    lookup_url_kwarg = "holding_id"
    target_name = "holding"
    serializer_class = HoldingOutputSerializer
    write_roles = PLACERS

    def get_queryset(self) -> QuerySet[Holding]:
        if self.is_schema_generation:
            return QuerySet(Holding).none()
        return holding_list(chama=self.chama)

    @extend_schema(
        summary="The chama's investments, newest first",
        responses={200: HoldingOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="An investment: its terms, booked and confirmed figures, and maturity",
        responses={200: HoldingOutputSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Record a placement (the treasurer or the chair)",
        description="Dr 1200 (the holding's own account) · Cr the paying account for the "
        "price, and for a T-bill Dr 5400 · Cr the paying account for the withholding tax "
        "paid up front. The confirmed price and tax, when given, are what is booked. 400 "
        "below_minimum, not_an_increment, no_rate; 409 insufficient_funds when the paying "
        "account holds less, proposal_executed for a proposal already placed (nothing "
        "written). By M-Pesa (from the paybill, to the option's paybill) it is in flight "
        "until the provider answers; 503 gateway_unavailable when that cannot be sent.",
        request=HoldingPlaceInputSerializer,
        responses={201: HoldingOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(holding_place, input_serializer=HoldingPlaceInputSerializer)

    @extend_schema(
        summary="Record a maturity or a fund's redemption (the treasurer or the chair)",
        description="Dr 1020 proceeds, 5400 tax withheld at maturity · Cr 1200 (the holding) "
        "its carrying value, 4300 the income; a fund is first credited its interest to the "
        "day. 409 already_matured (nothing written), not_due before the term ends.",
        request=HoldingMatureInputSerializer,
        responses={200: HoldingOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def mature(self, request: Request, chama_id: str, holding_id: str) -> Response:
        return self.transition(holding_mature, input_serializer=HoldingMatureInputSerializer)


class PortfolioViewSet(ChamaScopedViewSet):
    pagination_class = None
    serializer_class = PortfolioOutputSerializer
    queryset: QuerySet[Holding] = QuerySet(Holding).none()  # read by the list below

    @extend_schema(
        summary="The chama's portfolio: allocation, ROI, year-to-date return, maturities",
        responses={200: PortfolioOutputSerializer},
    )
    def list(self, request: Request, chama_id: str) -> Response:
        return Response(PortfolioOutputSerializer(portfolio_get(chama=self.chama)).data)
