"""chamas/{chama_id}/profits/ and wealth-reports/: profit declared to the members, and each
member's part of it in words and figures (a member sees their own, the officials and the
auditor everyone's)."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.mixins import CreateModelMixin, ListModelMixin, RetrieveModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.parsers import JSONParser
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import ALL_ROLES, OFFICE_ROLES, Role
from investments.api.serializers.profits import (
    ProfitDeclarationOutputSerializer,
    ProfitDeclareInputSerializer,
    ProfitSettleInputSerializer,
    WealthReportChooseInputSerializer,
    WealthReportOutputSerializer,
)
from investments.models import ProfitDeclaration, ProfitShare
from investments.selectors.profits import profit_declaration_list, wealth_report_list
from investments.services.profits import profit_declare, profit_settle, profit_share_choose
from investments.services.profits.declarations import DECLARERS
from investments.services.profits.settlements import TREASURER

# Everyone but the auditor, who reads everything and writes nothing: a member chooses for
# their own share, an official for anyone's (the service decides which).
CHOOSERS = frozenset(ALL_ROLES - {Role.AUDITOR})


class ProfitDeclarationViewSet(
    CreateModelMixin, ListModelMixin, RetrieveModelMixin, ChamaScopedViewSet
):
    """Every member reads the declarations; the chair or the treasurer declares by hand; the
    treasurer settles."""

    lookup_url_kwarg = "declaration_id"
    target_name = "declaration"
    serializer_class = ProfitDeclarationOutputSerializer
    parser_classes = [JSONParser]
    action_roles = {"create": DECLARERS, "settle": TREASURER}

    def get_queryset(self) -> QuerySet[ProfitDeclaration]:
        if self.is_schema_generation:
            return QuerySet(ProfitDeclaration).none()
        return profit_declaration_list(chama=self.chama)

    @extend_schema(
        summary="Profit declarations, newest first",
        responses={200: ProfitDeclarationOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A profit declaration", responses={200: ProfitDeclarationOutputSerializer}
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Declare realised investment income to the members (the chair or treasurer)",
        description="Split by the constitution's profit basis, largest remainder in seat "
        "order: Dr 4300 · Cr 5400, 3300, then Dr 3300 · Cr 2300-M. 409 profit_exceeds_income "
        "beyond the income realised and not declared; 409 no_profit_weight when no member "
        "held savings in the period. Nothing is written when refused.",
        request=ProfitDeclareInputSerializer,
        responses={201: ProfitDeclarationOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(profit_declare, input_serializer=ProfitDeclareInputSerializer)

    @extend_schema(
        summary="Settle the open shares (the treasurer)",
        description="Shares to be paid out leave from the account named (Dr 2300-M · Cr it; "
        "409 insufficient_funds when it holds less, nothing written); shares nobody chose go "
        "to savings (Dr 2300-M · Cr 2100-M). 409 nothing_to_settle once all are settled.",
        request=ProfitSettleInputSerializer,
        responses={200: ProfitDeclarationOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def settle(self, request: Request, chama_id: str, declaration_id: str) -> Response:
        return self.transition(profit_settle, input_serializer=ProfitSettleInputSerializer)


class WealthReportFilter(django_filters.FilterSet):
    declaration = django_filters.UUIDFilter(field_name="declaration_id")

    class Meta:
        model = ProfitShare
        fields = ["declaration"]


class WealthReportViewSet(ListModelMixin, RetrieveModelMixin, ChamaScopedViewSet):
    """A member's own wealth reports (the officials and the auditor read everyone's)."""

    lookup_url_kwarg = "report_id"
    target_name = "share"
    serializer_class = WealthReportOutputSerializer
    filterset_class = WealthReportFilter
    parser_classes = [JSONParser]
    action_roles = {"choose": CHOOSERS}

    def get_queryset(self) -> QuerySet[ProfitShare]:
        if self.is_schema_generation:
            return QuerySet(ProfitShare).none()
        sees_all = self.membership.role in OFFICE_ROLES
        return wealth_report_list(
            chama=self.chama, membership=None if sees_all else self.membership
        )

    @extend_schema(
        summary="Wealth reports: what each member earned (a member: their own)",
        responses={200: WealthReportOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A wealth report", responses={200: WealthReportOutputSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Choose, once, how a profit share is received",
        description="Where the constitution leaves it to the member: savings credits it now "
        "(Dr 2300-M · Cr 2100-M); paid_out leaves it for the treasurer to pay. The member, or "
        "an official for them. 409 choice_not_offered, share_already_chosen, share_nothing_due.",
        request=WealthReportChooseInputSerializer,
        responses={200: WealthReportOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def choose(self, request: Request, chama_id: str, report_id: str) -> Response:
        return self.transition(
            profit_share_choose, input_serializer=WealthReportChooseInputSerializer
        )
