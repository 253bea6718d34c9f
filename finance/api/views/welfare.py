"""chamas/{chama_id}/welfare/: the welfare fund's balance, and claims on it that members submit
and officials decide and pay."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.auth import user_of
from finance import chart
from finance.api.serializers.welfare import (
    WelfareClaimApproveInputSerializer,
    WelfareClaimOutputSerializer,
    WelfareClaimPayInputSerializer,
    WelfareClaimRejectInputSerializer,
    WelfareClaimSubmitInputSerializer,
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
)
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import OFFICIAL_ROLES, Role
from groups.models import Membership


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
        summary="The welfare fund's balance", responses={200: WelfareFundOutputSerializer}
    )
    def retrieve(self, request: Request, chama_id: str) -> Response:
        fund = ledger_account_get(chama=self.chama, code=chart.WELFARE_FUND)
        data = WelfareFundOutputSerializer({"balance": welfare_fund_available(fund)}).data
        return Response(data)


class WelfareClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """chamas/{chama_id}/welfare/claims/: members claim for themselves, officials for a member;
    an official other than the claimant decides, and an official pays from the fund."""

    lookup_url_kwarg = "claim_id"
    serializer_class = WelfareClaimOutputSerializer
    filterset_class = WelfareClaimFilter
    # The auditor reads everything and writes nothing; decisions and payments stay with the
    # officials (the default write roles).
    action_roles = {"create": OFFICIAL_ROLES | {Role.MEMBER}}

    def get_queryset(self) -> QuerySet[WelfareClaim]:
        if self.is_schema_generation:
            return WelfareClaim.objects.none()
        return (
            WelfareClaim.objects.filter(chama=self.chama)
            .select_related("membership__user", "submitted_by", "decided_by", "paid_by")
            .order_by("-created_at", "-id")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "viewer": getattr(self, "membership", None)}

    def _output(self, claim: WelfareClaim, **kwargs: Any) -> Response:
        fresh = self.get_queryset().get(pk=claim.pk)
        data = WelfareClaimOutputSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, **kwargs)

    def _claimant(self, member_id: Any) -> Membership:
        if member_id is None:
            return self.membership
        return self.member_get(member_id)

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
        serializer = WelfareClaimSubmitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        claim = welfare_claim_submit(
            chama=self.chama,
            membership=self._claimant(data.get("member_id")),
            claim_type=data["claim_type"],
            amount=data["amount"],
            description=data["description"],
            submitted_by=user_of(request),
        )
        return self._output(claim, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Approve a claim (an official other than the claimant)",
        request=WelfareClaimApproveInputSerializer,
        responses={200: WelfareClaimOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, chama_id: str, claim_id: str) -> Response:
        claim = self.get_object()  # an unknown claim is a 404 whatever the body
        serializer = WelfareClaimApproveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = welfare_claim_approve(
            claim=claim,
            approved_by=self.membership,
            note=serializer.validated_data["note"],
        )
        return self._output(claim)

    @extend_schema(
        summary="Reject a claim, saying why (an official other than the claimant)",
        request=WelfareClaimRejectInputSerializer,
        responses={200: WelfareClaimOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, chama_id: str, claim_id: str) -> Response:
        claim = self.get_object()  # an unknown claim is a 404 whatever the body
        serializer = WelfareClaimRejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = welfare_claim_reject(
            claim=claim,
            rejected_by=self.membership,
            note=serializer.validated_data["note"],
        )
        return self._output(claim)

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
        claim = self.get_object()  # an unknown claim is a 404 whatever the body
        serializer = WelfareClaimPayInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = welfare_claim_pay(
            claim=claim,
            paid_by=self.membership,
            method=serializer.validated_data["method"],
            destination=serializer.validated_data["destination"],
        )
        return self._output(claim)
