"""chamas/{chama_id}/loans/: applications, quotes, decisions, disbursement, repayments."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from finance import selectors
from finance.api.serializers.loans import (
    LOAN_COLUMNS,
    LoanApplyInputSerializer,
    LoanDecisionInputSerializer,
    LoanDetailOutputSerializer,
    LoanDisburseInputSerializer,
    LoanOutputSerializer,
    LoanPayoffOutputSerializer,
    LoanPayoffQueryInputSerializer,
    LoanQuoteInputSerializer,
    LoanQuoteOutputSerializer,
    LoanRepaymentInputSerializer,
    LoanRepaymentOutputSerializer,
    loan_rows,
)
from finance.exceptions import FinanceError
from finance.models import Loan, LoanRepayment
from finance.services import loans as services
from groups.api.approvals import SignatureCommentInputSerializer
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import ALL_ROLES, OFFICIAL_ROLES
from groups.rules import acting_for

MEMBERS = frozenset(ALL_ROLES) - {"auditor"}


# DRF's own code for the payoff's query (a GET's query is not read for its fields); the
# domain codes of every action are read from the code (core.api.error_codes).
@extend_validation_errors(["invalid"], field_name="date", actions=["payoff"])
class LoanViewSet(mixins.ListModelMixin, ChamaScopedViewSet):
    lookup_url_kwarg = "loan_id"
    target_name = "loan"
    serializer_class = LoanOutputSerializer
    # Members apply for themselves and act as guarantors; officials decide and record.
    action_roles = {
        "create": MEMBERS,
        "quote": frozenset(ALL_ROLES),
        "accept_guarantee": MEMBERS,
        "decline_guarantee": MEMBERS,
        "repayments": frozenset(ALL_ROLES),
        "repay": frozenset(OFFICIAL_ROLES),
        "payoff": frozenset(ALL_ROLES),
    }

    def get_queryset(self) -> QuerySet[Loan]:
        if self.is_schema_generation:
            return QuerySet(Loan).none()
        if self.action == "list":
            return selectors.loan_list(chama=self.chama)
        # One loan is found plainly; what it shows is re-read by get_detail_queryset.
        return selectors.loan_target_list(chama=self.chama)

    def get_detail_queryset(self) -> QuerySet[Loan] | QuerySet[LoanRepayment]:
        if self.action == "repay":
            return selectors.loan_repayment_target_list(chama=self.chama)
        return selectors.loan_detail_list(chama=self.chama)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        outputs: dict[str, type[serializers.Serializer]] = {
            "list": LoanOutputSerializer,
            "repay": LoanRepaymentOutputSerializer,
        }
        return outputs.get(self.action or "", LoanDetailOutputSerializer)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A page read as values and written by loan_rows, as the serializer would.
        page = self.paginate_values(self.get_queryset(), LOAN_COLUMNS)
        return self.get_paginated_response(loan_rows(page))

    @extend_schema(
        summary="A loan with its schedule, guarantors and derived balances",
        responses={200: LoanDetailOutputSerializer},
    )
    def retrieve(self, request: Request, chama_id: str, loan_id: str) -> Response:
        return self.respond(self.get_object())

    @extend_schema(
        summary="Apply for a loan (for yourself, or as an official for a member)",
        request=LoanApplyInputSerializer,
        responses={201: LoanDetailOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(services.loan_apply, input_serializer=LoanApplyInputSerializer)

    @extend_schema(
        summary="Preview a loan's rate and schedule for a member; writes nothing",
        description=(
            "The terms the chama's policy gives the caller (or, for an official, `member_id`): "
            "the policy's rate, period and method (a rate may be named only inside a range the "
            "policy allows: else `terms_outside_policy`), the rate lowered by the member's "
            "credit-score discount when the policy grants one, and whether the member may have "
            "it now: `eligible`, `max_principal` (savings and credit times the policy's "
            "multiple) and the `reasons` when not (`active_loan_exists`, "
            "`exceeds_savings_multiple`; `exceeds_cash`, not blocking: the chama cannot pay "
            "it out today). Refused like an application: terms outside the policy, a "
            "principal below the policy's minimum (`principal_below_minimum`) or one that "
            "leaves an installment repaying nothing (`installment_too_small`)."
        ),
        request=LoanQuoteInputSerializer,
        responses={200: LoanQuoteOutputSerializer},
    )
    @action(detail=False, methods=["post"])
    def quote(self, request: Request, chama_id: str) -> Response:
        data = self.validated(LoanQuoteInputSerializer)
        borrower = acting_for(
            self.membership, data.pop("membership", None), refused=FinanceError.OWN_LOANS_ONLY
        )
        quote = services.loan_quote_for(chama=self.chama, membership=borrower, **data)
        return Response(LoanQuoteOutputSerializer(quote).data)

    @extend_schema(
        summary="What settles the loan in full on a date (default today)",
        description=(
            "Penalties charged and principal are always owed; the interest due follows the "
            "loan's early-repayment rule (`interest_to_date`, `full_interest` or `rebate`) and "
            "`interest_waived` is what it lets go. A repayment of at least `total` dated that "
            "day settles the loan early. A date before the disbursement is refused "
            "(`payoff_before_disbursement`); a loan not being repaid has no payoff (409 "
            "`loan_not_repaying`)."
        ),
        parameters=[LoanPayoffQueryInputSerializer],
        responses={200: LoanPayoffOutputSerializer},
    )
    @action(detail=True, methods=["get"])
    def payoff(self, request: Request, chama_id: str, loan_id: str) -> Response:
        query = LoanPayoffQueryInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        on = query.validated_data.get("date") or timezone.localdate()
        payoff = selectors.loan_payoff_get(loan=self.get_object(), on=on)
        return Response(LoanPayoffOutputSerializer(payoff).data)

    @extend_schema(
        summary="Approve (an official who did not apply)",
        description="Signs the approval; the loan is approved by the last signature the "
        "chama's approval rule needs (one by default; the chair's among them above its "
        "threshold) and stays applied until then. 409 already_signed when you signed it "
        "already.",
        request=SignatureCommentInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, chama_id: str, loan_id: str) -> Response:
        return self.transition(
            services.loan_approve, input_serializer=SignatureCommentInputSerializer
        )

    @extend_schema(summary="Reject", request=LoanDecisionInputSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, chama_id: str, loan_id: str) -> Response:
        return self.transition(services.loan_reject, input_serializer=LoanDecisionInputSerializer)

    @extend_schema(summary="Disburse an approved loan", request=LoanDisburseInputSerializer)
    @action(detail=True, methods=["post"])
    def disburse(self, request: Request, chama_id: str, loan_id: str) -> Response:
        return self.transition(services.loan_disburse, input_serializer=LoanDisburseInputSerializer)

    @extend_schema(
        summary="Recover a defaulted loan's principal from its guarantors' savings",
        description=(
            "Officials. Takes the principal outstanding from the accepted guarantors' savings "
            "(Dr 2100 of each, Cr 1100 of the borrower), each up to what their guarantee still "
            "covers and their savings, in proportion to that cover; it settles the principal "
            "of the oldest installments first, and the borrower's later repayments refund the "
            "guarantors first. A loan not defaulted is `409 loan_not_defaulted`; nothing left "
            "to take is `409 nothing_to_recover`."
        ),
        request=None,
        responses={200: LoanDetailOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def recover(self, request: Request, chama_id: str, loan_id: str) -> Response:
        return self.transition(services.loan_recover_from_guarantors)

    @extend_schema(summary="Write off a defaulted loan", request=LoanDecisionInputSerializer)
    @action(detail=True, methods=["post"], url_path="write-off")
    def write_off(self, request: Request, chama_id: str, loan_id: str) -> Response:
        return self.transition(
            services.loan_write_off, input_serializer=LoanDecisionInputSerializer
        )

    @extend_schema(
        summary="The loan's repayments",
        responses={200: LoanRepaymentOutputSerializer(many=True)},
    )
    # every repayment of the loan (a few dozen at most), not a page
    @action(detail=True, methods=["get"], pagination_class=None)
    def repayments(self, request: Request, chama_id: str, loan_id: str) -> Response:
        rows = selectors.loan_repayment_list(loan=self.get_object())
        return Response(LoanRepaymentOutputSerializer(rows, many=True).data)

    @extend_schema(
        summary="Record a repayment (officials): oldest installment first, excess to credit",
        request=LoanRepaymentInputSerializer,
        responses={201: LoanRepaymentOutputSerializer},
    )
    @repayments.mapping.post
    def repay(self, request: Request, chama_id: str, loan_id: str) -> Response:
        return self.transition(
            services.loan_repay, input_serializer=LoanRepaymentInputSerializer, status=201
        )

    def _guarantee_decide(self, guarantee_id: str, *, accept: bool) -> Response:
        loan = self.get_object()
        guarantee = selectors.guarantee_get(loan=self.get_object(), guarantee_id=guarantee_id)
        if guarantee is None:
            raise exceptions.NotFound()
        services.guarantee_decide(guarantee=guarantee, acting=self.membership, accept=accept)
        return self.respond(loan)

    @extend_schema(summary="Accept a guarantee you were named for", request=None)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"guarantors/(?P<guarantee_id>[0-9a-fA-F-]{36})/accept",
    )
    def accept_guarantee(
        self, request: Request, chama_id: str, loan_id: str, guarantee_id: str
    ) -> Response:
        return self._guarantee_decide(guarantee_id, accept=True)

    @extend_schema(summary="Decline a guarantee you were named for", request=None)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"guarantors/(?P<guarantee_id>[0-9a-fA-F-]{36})/decline",
    )
    def decline_guarantee(
        self, request: Request, chama_id: str, loan_id: str, guarantee_id: str
    ) -> Response:
        return self._guarantee_decide(guarantee_id, accept=False)
