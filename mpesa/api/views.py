"""M-Pesa endpoints under chamas/{chama_id}/: pay by STK Push, follow a prompt, see paybill
payments, and reconcile a statement export."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from groups.api.scoping import ChamaScopedViewSet
from groups.choices import ALL_ROLES, RECONCILER_ROLES, Role
from mpesa.api.filters import C2BPaymentFilter, StkRequestFilter
from mpesa.api.serializers import (
    C2BPaymentOutputSerializer,
    StatementReconciliationOutputSerializer,
    StatementUploadInputSerializer,
    StkPushInputSerializer,
    StkRequestOutputSerializer,
)
from mpesa.models import C2BPayment, StkRequest
from mpesa.selectors import c2b_payment_list, statement_reconcile, stk_request_list
from mpesa.services.stk import stk_push_request
from mpesa.statements import statement_rows_read


class StkPushViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """chamas/{chama_id}/contributions/stk-push/: a member pays from their phone; officials
    may prompt any member. Members see their own prompts, officials every prompt."""

    lookup_field = "checkout_request_id"
    lookup_url_kwarg = "checkout_request_id"
    lookup_value_regex = r"[A-Za-z0-9_-]+"
    serializer_class = StkRequestOutputSerializer
    filterset_class = StkRequestFilter
    action_roles = {"create": frozenset(ALL_ROLES) - {Role.AUDITOR}}

    def get_queryset(self) -> QuerySet[StkRequest]:
        if self.is_schema_generation:
            return QuerySet(StkRequest).none()
        own = None if self.is_official or self.membership.role == Role.AUDITOR else self.membership
        return stk_request_list(chama=self.chama, membership=own)

    @extend_schema(summary="Payment prompts, newest first (status=held: for the treasurer)")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A payment prompt: pending until M-Pesa reports the outcome")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Pay by M-Pesa: send a payment prompt to the member's phone",
        request=StkPushInputSerializer,
        responses={202: StkRequestOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(
            stk_push_request,
            input_serializer=StkPushInputSerializer,
            status=status.HTTP_202_ACCEPTED,
        )


class C2BPaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """chamas/{chama_id}/mpesa/paybill/: payments made to the paybill with this chama's code."""

    serializer_class = C2BPaymentOutputSerializer
    filterset_class = C2BPaymentFilter
    read_roles = frozenset({Role.CHAIR, Role.TREASURER, Role.SECRETARY, Role.AUDITOR})

    def get_queryset(self) -> QuerySet[C2BPayment]:
        if self.is_schema_generation:
            return QuerySet(C2BPayment).none()
        return c2b_payment_list(chama=self.chama)


class StatementReconciliationViewSet(ChamaScopedViewSet):
    """chamas/{chama_id}/mpesa/statement/: upload an M-Pesa statement export and see which
    receipts are only in the statement, only in the books, or differ in amount."""

    parser_classes = [MultiPartParser]
    action_roles = {"create": RECONCILER_ROLES}

    @extend_schema(
        summary="Compare an M-Pesa statement export (CSV) with the chama's books",
        request={"multipart/form-data": StatementUploadInputSerializer},
        responses={200: StatementReconciliationOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        serializer = StatementUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = statement_rows_read(serializer.validated_data["file"].read())
        report = statement_reconcile(chama=self.chama, rows=rows)
        start, end = report.period or (None, None)
        data = {
            "period_start": start,
            "period_end": end,
            "matched": report.matched,
            "missing_in_hazina": [vars(r) for r in report.missing_in_hazina],
            "missing_in_statement": [vars(r) for r in report.missing_in_statement],
            "amount_differs": [
                {"hazina": vars(ours), "statement": vars(theirs)}
                for ours, theirs in report.amount_differs
            ],
        }
        return Response(StatementReconciliationOutputSerializer(data).data)
