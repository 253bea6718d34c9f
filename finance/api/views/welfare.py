"""chamas/{chama_id}/welfare/: the welfare fund's balance, and claims on it that members submit
and officials decide and pay."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from finance import chart, selectors
from finance.api.serializers.welfare import (
    WelfareClaimApproveInputSerializer,
    WelfareClaimOutputSerializer,
    WelfareClaimPayInputSerializer,
    WelfareClaimRejectInputSerializer,
    WelfareClaimSubmitInputSerializer,
    WelfareForecastOutputSerializer,
    WelfareFundOutputSerializer,
)
from finance.choices import WelfareClaimStatus, WelfareClaimType
from finance.models import WelfareClaim
from finance.services.ledger import ledger_account_get
from finance.services.welfare import (
    welfare_claim_approve,
    welfare_claim_pay,
    welfare_claim_reject,
    welfare_claim_submit,
    welfare_fund_available,
    welfare_fund_buffer,
    welfare_fund_claimable,
    welfare_policy_get,
)
from finance.welfare_history import welfare_forecast_get
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import OFFICIAL_ROLES, Role


class WelfareClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=WelfareClaimStatus.choices)
    member = django_filters.UUIDFilter(field_name="membership_id")
    claim_type = django_filters.ChoiceFilter(choices=WelfareClaimType.choices)

    class Meta:
        model = WelfareClaim
        fields = ["status", "member", "claim_type"]


class WelfareFundViewSet(ChamaScopedViewSet):
    """chamas/{chama_id}/welfare/: what the fund can pay out, for every member to see."""

    @extend_schema(
        summary="The welfare fund's balance, its buffer and what claims can use",
        responses={200: WelfareFundOutputSerializer},
    )
    def retrieve(self, request: Request, chama_id: str) -> Response:
        fund = ledger_account_get(chama=self.chama, code=chart.WELFARE_FUND)
        available = welfare_fund_available(fund)
        policy = welfare_policy_get(chama=self.chama)
        fixed = {
            claim_type: policy.fixed_amount(claim_type) if policy is not None else None
            for claim_type in WelfareClaimType.values
        }
        data = WelfareFundOutputSerializer(
            {
                "balance": available,
                "buffer": welfare_fund_buffer(policy),
                "claimable": welfare_fund_claimable(available, policy),
                "fixed_amounts": {k: v for k, v in fixed.items() if v is not None},
            }
        ).data
        return Response(data)


class WelfareForecastViewSet(ChamaScopedViewSet):
    """chamas/{chama_id}/welfare/forecast/: the claims to expect and the buffer to keep, for
    every member to see."""

    @extend_schema(
        summary="Welfare claims expected in the next 30 and 90 days, and the buffer to keep",
        description="A seasonal average of the chama's granted claims (the same days one and "
        "two years back, blended with the trailing 12 months) with a 90% band; the buffer is "
        "the band's top. With under six months of history or under three claims: no forecast, "
        "the reason, and the constitution's welfare buffer (source constitution, or none).",
        responses={200: WelfareForecastOutputSerializer},
    )
    def retrieve(self, request: Request, chama_id: str) -> Response:
        forecast = welfare_forecast_get(chama=self.chama)
        return Response(WelfareForecastOutputSerializer(forecast).data)


class WelfareClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """chamas/{chama_id}/welfare/claims/: members claim for themselves, officials for a member;
    an official other than the claimant decides, and an official pays from the fund."""

    lookup_url_kwarg = "claim_id"
    target_name = "claim"
    serializer_class = WelfareClaimOutputSerializer
    filterset_class = WelfareClaimFilter
    # The auditor reads everything and writes nothing; decisions and payments stay with the
    # officials (the default write roles).
    action_roles = {"create": OFFICIAL_ROLES | {Role.MEMBER}}

    def get_queryset(self) -> QuerySet[WelfareClaim]:
        if self.is_schema_generation:
            return QuerySet(WelfareClaim).none()
        return selectors.welfare_claim_list(chama=self.chama)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "viewer": getattr(self, "membership", None)}

    @extend_schema(
        summary="Welfare claims, newest first",
        responses={200: WelfareClaimOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A welfare claim", responses={200: WelfareClaimOutputSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Submit a welfare claim (for yourself, or for a member if you are an official)",
        request=WelfareClaimSubmitInputSerializer,
        responses={201: WelfareClaimOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(
            welfare_claim_submit, input_serializer=WelfareClaimSubmitInputSerializer
        )

    @extend_schema(
        summary="Approve a claim (an official other than the claimant)",
        description="Signs the approval; the claim is approved by the last signature the "
        "chama's approval rule needs (one by default; the chair's among them above its "
        "threshold) and stays submitted until then. 409 already_signed when you signed it "
        "already.",
        request=WelfareClaimApproveInputSerializer,
        responses={200: WelfareClaimOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, chama_id: str, claim_id: str) -> Response:
        return self.transition(
            welfare_claim_approve, input_serializer=WelfareClaimApproveInputSerializer
        )

    @extend_schema(
        summary="Reject a claim, saying why (an official other than the claimant)",
        request=WelfareClaimRejectInputSerializer,
        responses={200: WelfareClaimOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, chama_id: str, claim_id: str) -> Response:
        return self.transition(
            welfare_claim_reject, input_serializer=WelfareClaimRejectInputSerializer
        )

    @extend_schema(
        summary=(
            "Pay an approved claim from the welfare fund: at once by cash or bank, in flight by "
            "M-Pesa until it confirms (409 insufficient_funds if short)"
        ),
        request=WelfareClaimPayInputSerializer,
        responses={200: WelfareClaimOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, chama_id: str, claim_id: str) -> Response:
        return self.transition(welfare_claim_pay, input_serializer=WelfareClaimPayInputSerializer)
