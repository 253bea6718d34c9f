"""The ledger, read-only: every member may see the chama's books."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.request import Request
from rest_framework.response import Response

from finance import selectors
from finance.api.filters import JournalEntryFilter
from finance.api.serializers.ledger import (
    JournalEntryOutputSerializer,
    LedgerAccountsOutputSerializer,
)
from finance.models import JournalEntry, LedgerAccount
from groups.api.scoping import ChamaScopedViewSet


class LedgerAccountViewSet(ChamaScopedViewSet):
    pagination_class = None
    queryset: QuerySet[LedgerAccount] = QuerySet(LedgerAccount).none()  # read by the list below

    @extend_schema(
        summary="Chart of accounts with balances and the trial balance",
        responses={200: LedgerAccountsOutputSerializer},
    )
    def list(self, request: Request, chama_id: str) -> Response:
        accounts = [
            {
                "id": account.pk,
                "code": account.code,
                "name": account.name,
                "type": account.type,
                "member_id": account.member_id,
                "round_id": account.round_id,
                "balance": selectors.normal_balance(account, account.cached_balance),
            }
            for account in selectors.ledger_account_list(chama=self.chama)
        ]
        body = {
            "accounts": accounts,
            "trial_balance": selectors.trial_balance_get(chama=self.chama),
        }
        return Response(LedgerAccountsOutputSerializer(body).data)


class JournalEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    lookup_url_kwarg = "entry_id"
    serializer_class = JournalEntryOutputSerializer
    filterset_class = JournalEntryFilter

    def get_queryset(self) -> QuerySet[JournalEntry]:
        if self.is_schema_generation:
            return QuerySet(JournalEntry).none()
        return selectors.journal_entry_list(chama=self.chama)
