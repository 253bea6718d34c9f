"""chamas/{chama_id}/suspense/: money paid to the chama's paybill under an account number that
names none of its members, until an official assigns it to the member it came from."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from finance import selectors
from finance.api.serializers.suspense import (
    SuspenseAssignInputSerializer,
    SuspenseReceiptOutputSerializer,
)
from finance.choices import SuspenseStatus
from finance.models import SuspenseReceipt
from finance.services.suspense import suspense_assign
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import OFFICE_ROLES, RECONCILER_ROLES


class SuspenseReceiptFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SuspenseStatus.choices)

    class Meta:
        model = SuspenseReceipt
        fields = ["status"]


class SuspenseReceiptViewSet(mixins.ListModelMixin, ChamaScopedViewSet):
    lookup_url_kwarg = "suspense_id"
    target_name = "receipt"
    serializer_class = SuspenseReceiptOutputSerializer
    filterset_class = SuspenseReceiptFilter
    # Payers' (masked) phones and names are for the office: officials and the auditor read;
    # the chair and the treasurer, who reconcile the books, assign.
    read_roles = OFFICE_ROLES
    action_roles = {"assign": RECONCILER_ROLES}

    def get_queryset(self) -> QuerySet[SuspenseReceipt]:
        if self.is_schema_generation:
            return QuerySet(SuspenseReceipt).none()
        return selectors.suspense_receipt_list(chama=self.chama)

    @extend_schema(
        summary="Unidentified receipts (suspense), newest first",
        responses={200: SuspenseReceiptOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=(
            "Assign a receipt to the member it came from, as a contribution or a loan "
            "repayment (409 already_assigned the second time)"
        ),
        request=SuspenseAssignInputSerializer,
        responses={200: SuspenseReceiptOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, chama_id: str, suspense_id: str) -> Response:
        return self.transition(suspense_assign, input_serializer=SuspenseAssignInputSerializer)
