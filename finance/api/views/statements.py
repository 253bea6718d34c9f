"""chamas/{chama_id}/statements/: a member's or the chama's statement, as JSON or a file.

Every member may read their own statement and the chama's (the books are open to members);
another member's statement is for officials and the auditor.
"""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.exceptions import PermissionDeniedError
from finance.api.serializers.statements import (
    MemberStatementOutputSerializer,
    StatementOutputSerializer,
    StatementQueryInputSerializer,
)
from finance.api.views.member_access import member_readable_get
from finance.exceptions import FinanceError
from finance.statement_files import RENDERERS
from finance.statement_text import AnyStatement, statement_filename
from finance.statements import statement_get
from finance.statements_member import member_statement_get
from groups.api.scoping import ChamaScopedViewSet
from groups.models import Membership


class QueryFormatIsOurs(DefaultContentNegotiation):
    """``?format=`` chooses the statement's file format, which the view renders itself; DRF
    must not read it as a renderer choice (it would answer 404), so answers and errors are
    JSON and files are plain responses."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


@extend_validation_errors(["invalid"], field_name="member", actions=["list"])
@extend_validation_errors(["invalid"], field_name="from", actions=["list"])
@extend_validation_errors(["invalid"], field_name="to", actions=["list"])
@extend_validation_errors(["invalid_choice"], field_name="format", actions=["list"])
class StatementViewSet(ChamaScopedViewSet):
    pagination_class = None
    filter_backends: list[Any] = []
    content_negotiation_class = QueryFormatIsOurs

    def _member(self, member_id: UUID | None) -> Membership | None:
        if member_id is None:
            return None
        return member_readable_get(
            chama=self.chama,
            viewer=self.membership,
            member_id=member_id,
            denied=PermissionDeniedError(FinanceError.OTHER_MEMBER_DENIED),
        )

    @extend_schema(
        summary="A member's or the chama's statement (JSON, CSV, XLSX or PDF)",
        description=(
            "Without `member`, the chama's cash book: journal entries of the period that moved "
            "money in or out of its M-Pesa paybill (1010), bank (1020) and cash (1030) "
            "accounts, with the opening balance, a running balance, the totals and the closing "
            "balance. With `member`, that member's statement (their own; another member's "
            "needs an official or the auditor): their position today, then one section per "
            "account of theirs — savings, credit, profit (held for them), loan principal and "
            "fines (owed), pots received — each with its opening balance, entries, running "
            "balance and closing balance. "
            "`format=json` (default) answers the document below; `csv`, `xlsx` and `pdf` "
            "answer a file download (Content-Disposition: attachment), e.g. "
            "`UMJ001-M004-statement-2026-01-01-2026-03-31.pdf`: CSV is one table (opening "
            "balance, entries, closing balance with the totals); XLSX a sheet with real dates "
            "and numbers in a 2-decimal format; PDF an A4 statement to hand out."
        ),
        parameters=[StatementQueryInputSerializer],
        responses={
            (200, "application/json"): PolymorphicProxySerializer(
                component_name="StatementDocument",
                serializers=[StatementOutputSerializer, MemberStatementOutputSerializer],
                resource_type_field_name=None,
                many=False,  # the list action answers one document, not an array
            ),
            **{(200, renderer.media_type): OpenApiTypes.BINARY for renderer in RENDERERS.values()},
        },
    )
    def list(self, request: Request, chama_id: str) -> HttpResponse:
        query = StatementQueryInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        member = self._member(params.get("member"))
        period = {
            "date_from": params.get("from"),
            "date_to": params.get("to") or timezone.localdate(),
        }
        if member is None:
            statement: AnyStatement = statement_get(chama=self.chama, **period)
            if params["format"] == "json":
                return Response(StatementOutputSerializer(statement).data)
        else:
            statement = member_statement_get(chama=self.chama, member=member, **period)
            if params["format"] == "json":
                return Response(MemberStatementOutputSerializer(statement).data)
        renderer = RENDERERS[params["format"]]
        response = HttpResponse(renderer.render(statement), content_type=renderer.content_type)
        filename = statement_filename(statement, renderer.extension)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
