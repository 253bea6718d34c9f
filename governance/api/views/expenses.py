"""chamas/{chama_id}/expenses/: what the chama spends, recorded by the treasurer with its
receipt, signed by the other officials (or decided by the members' dispute vote after 48
hours), paid by the treasurer from a named account; every member reads them."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.parsers import JSONParser
from governance.api.serializers.expenses import (
    ExpenseApproveInputSerializer,
    ExpenseCreateInputSerializer,
    ExpenseOutputSerializer,
    ExpensePayInputSerializer,
    ExpenseRejectInputSerializer,
    ExpenseUploadInputSerializer,
)
from governance.api.uploads import UploadParser
from governance.models import Expense, ExpenseCategory, ExpenseStatus
from governance.selectors.expenses import expense_list
from governance.services.expenses import (
    TREASURER,
    expense_approve,
    expense_create,
    expense_pay,
    expense_reject,
)
from groups.api.scoping import ChamaScopedViewSet

SIGNING = (
    "The last signature the chama's approval rule needs (one by default; the chair's among "
    "them above the chair threshold) approves it: Dr 5100 · Cr 2400. 403 same_official for "
    "the treasurer who recorded it; 409 already_signed, expense_not_pending, or "
    "expense_disputed while the members' dispute vote is open."
)


class ExpenseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ExpenseStatus.choices)
    category = django_filters.ChoiceFilter(choices=ExpenseCategory.choices)

    class Meta:
        model = Expense
        fields = ["status", "category"]


class ExpenseViewSet(ListModelMixin, RetrieveModelMixin, ChamaScopedViewSet):
    """Every member reads; the treasurer records and pays; the officials sign (the auditor
    reads everything and writes nothing)."""

    lookup_url_kwarg = "expense_id"
    target_name = "expense"
    serializer_class = ExpenseOutputSerializer
    filterset_class = ExpenseFilter
    # The receipt comes with the expense (multipart) or was uploaded before (JSON).
    parser_classes = [JSONParser, UploadParser]
    action_roles = {"create": TREASURER, "pay": TREASURER}

    def get_queryset(self) -> QuerySet[Expense]:
        if self.is_schema_generation:
            return QuerySet(Expense).none()
        return expense_list(chama=self.chama)

    @property
    def create_input_serializer(self) -> type[serializers.Serializer]:
        if self.request.content_type.startswith("multipart/"):
            return ExpenseUploadInputSerializer
        return ExpenseCreateInputSerializer

    @extend_schema(
        summary="Expenses, newest first (filter by status, category)",
        responses={200: ExpenseOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="An expense, its signatures, what it still needs and its dispute vote",
        responses={200: ExpenseOutputSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Record an expense with its receipt (the treasurer)",
        description="multipart/form-data with the receipt file (kept as a receipt document), "
        "or JSON naming a receipt document uploaded before (receipt_id). Nothing is posted "
        "until it is approved.",
        request={
            "application/json": ExpenseCreateInputSerializer,
            "multipart/form-data": ExpenseUploadInputSerializer,
        },
        responses={201: ExpenseOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(expense_create, input_serializer=self.create_input_serializer)

    @extend_schema(
        summary="Approve an expense (an official other than the treasurer who recorded it)",
        description=SIGNING,
        request=ExpenseApproveInputSerializer,
        responses={200: ExpenseOutputSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def approve(self, request: Request, chama_id: str, expense_id: str) -> Response:
        return self.transition(expense_approve, input_serializer=ExpenseApproveInputSerializer)

    @extend_schema(
        summary="Reject an expense, saying why (an official other than its maker)",
        description="Any rejection rejects; nothing is posted.",
        request=ExpenseRejectInputSerializer,
        responses={200: ExpenseOutputSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def reject(self, request: Request, chama_id: str, expense_id: str) -> Response:
        return self.transition(expense_reject, input_serializer=ExpenseRejectInputSerializer)

    @extend_schema(
        summary="Pay an approved expense from the paybill, the bank or cash (the treasurer)",
        description="Dr 2400 · Cr the account named. 409 expense_not_approved; 409 "
        "insufficient_funds when the account holds less (nothing written).",
        request=ExpensePayInputSerializer,
        responses={200: ExpenseOutputSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def pay(self, request: Request, chama_id: str, expense_id: str) -> Response:
        return self.transition(expense_pay, input_serializer=ExpensePayInputSerializer)
