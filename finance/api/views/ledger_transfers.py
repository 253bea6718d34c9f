"""chamas/{chama_id}/ledger/transfers/: money moved between the chama's own accounts (paybill,
bank, cash), recorded by the treasurer or the chair and approved by another official."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from finance import selectors
from finance.api.serializers.ledger_transfers import (
    LedgerTransferOutputSerializer,
    LedgerTransferRejectInputSerializer,
    LedgerTransferRequestInputSerializer,
)
from finance.choices import LedgerTransferStatus, TransferAccount
from finance.models import LedgerTransfer
from finance.services.ledger_transfers import (
    REQUESTER_ROLES,
    ledger_transfer_approve,
    ledger_transfer_reject,
    ledger_transfer_request,
)
from groups.api.approvals import SignatureCommentInputSerializer
from groups.api.scoping import ChamaScopedViewSet


class LedgerTransferFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=LedgerTransferStatus.choices)
    from_account = django_filters.ChoiceFilter(choices=TransferAccount.choices)
    to_account = django_filters.ChoiceFilter(choices=TransferAccount.choices)

    class Meta:
        model = LedgerTransfer
        fields = ["status", "from_account", "to_account"]


class LedgerTransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """Every member reads the transfers, like the rest of the ledger; the treasurer or the chair
    requests one; the other officials (chair, treasurer, secretary) decide. The auditor and
    members write nothing."""

    lookup_url_kwarg = "transfer_id"
    target_name = "transfer"
    serializer_class = LedgerTransferOutputSerializer
    filterset_class = LedgerTransferFilter
    action_roles = {"create": REQUESTER_ROLES}

    def get_queryset(self) -> QuerySet[LedgerTransfer]:
        if self.is_schema_generation:
            return QuerySet(LedgerTransfer).none()
        return selectors.ledger_transfer_list(chama=self.chama)

    @extend_schema(
        summary="Transfers between the chama's accounts, newest first",
        responses={200: LedgerTransferOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A transfer between the chama's accounts",
        responses={200: LedgerTransferOutputSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=(
            "Request a transfer between the chama's accounts (treasurer or chair); another "
            "official approves it (409 insufficient_funds if the from-account holds less)"
        ),
        request=LedgerTransferRequestInputSerializer,
        responses={201: LedgerTransferOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(
            ledger_transfer_request, input_serializer=LedgerTransferRequestInputSerializer
        )

    @extend_schema(
        summary=(
            "Approve a transfer requested by another official: one entry moves the money "
            "(409 insufficient_funds if the from-account no longer holds it)"
        ),
        description="Signs the approval. When the chama's approval rule needs more "
        "signatures (or the chair's, above its threshold) the transfer stays requested and "
        "shows signatures_missing; the last one moves the money. 409 already_signed when "
        "you signed it already.",
        request=SignatureCommentInputSerializer,
        responses={200: LedgerTransferOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, chama_id: str, transfer_id: str) -> Response:
        return self.transition(
            ledger_transfer_approve, input_serializer=SignatureCommentInputSerializer
        )

    @extend_schema(
        summary="Reject a requested transfer, saying why (or withdraw your own request)",
        request=LedgerTransferRejectInputSerializer,
        responses={200: LedgerTransferOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, chama_id: str, transfer_id: str) -> Response:
        return self.transition(
            ledger_transfer_reject, input_serializer=LedgerTransferRejectInputSerializer
        )
