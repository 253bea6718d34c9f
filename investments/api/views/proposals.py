"""chamas/{chama_id}/proposals/: investing idle cash, proposed by the weekly scan (premium
chamas) or by an official, decided by the constitution's rule, executed by the treasurer or
the chair; and chamas/{chama_id}/investments/idle-cash/, what every member may read."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from core.exceptions import ValidationFailed
from groups.api.scoping import ChamaScopedViewSet
from investments.api.serializers.proposals import (
    IdleCashOutputSerializer,
    ProposalCreateInputSerializer,
    ProposalExecuteInputSerializer,
    ProposalOutputSerializer,
    ProposalRejectInputSerializer,
)
from investments.exceptions import InvestmentError
from investments.models import InvestmentProposal, ProposalStatus
from investments.selectors.options import option_get
from investments.selectors.proposals import idle_cash_report_get, proposal_list
from investments.services.placements import PLACERS
from investments.services.proposals import (
    proposal_approve,
    proposal_create,
    proposal_execute,
    proposal_reject,
)

APPROVING = (
    "By the constitution's investments.approval. chair: the chair approves (403 same_official "
    "for a proposal the chair made); vote: any official opens the members' vote (the proposal "
    "stays proposed with its vote_id; the outcome approves or rejects it). 409 "
    "proposal_decided when it is no longer proposed, proposal_vote_open while its vote runs."
)


class ProposalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices)

    class Meta:
        model = InvestmentProposal
        fields = ["status"]


class ProposalViewSet(ListModelMixin, RetrieveModelMixin, ChamaScopedViewSet):
    """Every member reads; officials propose, approve (by the rule) and reject; the treasurer
    or the chair executes (the auditor reads and writes nothing)."""

    lookup_url_kwarg = "proposal_id"
    target_name = "proposal"
    serializer_class = ProposalOutputSerializer
    filterset_class = ProposalFilter
    action_roles = {"execute": PLACERS}

    def get_queryset(self) -> QuerySet[InvestmentProposal]:
        if self.is_schema_generation:
            return QuerySet(InvestmentProposal).none()
        return proposal_list(chama=self.chama)

    @extend_schema(
        summary="Investment proposals, newest first (filter by status)",
        responses={200: ProposalOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A proposal with its projection, who decided it and the holding it became",
        responses={200: ProposalOutputSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Propose an investment by hand (officials)",
        description="Refused below the option's minimum or off its increments (400), above "
        "the idle cash (409 exceeds_idle_cash), or while another proposal is open (409 "
        "proposal_open). Nothing is posted until it is executed.",
        request=ProposalCreateInputSerializer,
        responses={201: ProposalOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        data = self.validated(ProposalCreateInputSerializer)
        option = option_get(option_id=data["option_id"])
        if option is None:
            raise ValidationFailed(InvestmentError.UNKNOWN_OPTION, field="option_id")
        proposal = proposal_create(
            chama=self.chama, acting=self.membership, option=option, amount=data["amount"]
        )
        return self.respond(proposal, status=201)

    @extend_schema(
        summary="Approve a proposal (the chair), or put it to the members' vote",
        description=APPROVING,
        request=None,
        responses={200: ProposalOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, chama_id: str, proposal_id: str) -> Response:
        return self.transition(proposal_approve)

    @extend_schema(
        summary="Reject a proposal, saying why (officials)",
        description="409 proposal_decided when it is no longer proposed.",
        request=ProposalRejectInputSerializer,
        responses={200: ProposalOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, chama_id: str, proposal_id: str) -> Response:
        return self.transition(proposal_reject, input_serializer=ProposalRejectInputSerializer)

    @extend_schema(
        summary="Place an approved proposal (the treasurer or the chair)",
        description="Dr 1200 (the holding) · Cr the paying account, and a T-bill's "
        "withholding tax Dr 5400, in one transaction with the proposal marked executed. 409 "
        "proposal_not_approved, proposal_executed, exceeds_idle_cash (the idle cash is "
        "recomputed now) or insufficient_funds; nothing written.",
        request=ProposalExecuteInputSerializer,
        responses={200: ProposalOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def execute(self, request: Request, chama_id: str, proposal_id: str) -> Response:
        return self.transition(proposal_execute, input_serializer=ProposalExecuteInputSerializer)


class IdleCashViewSet(ChamaScopedViewSet):
    """What the chama holds idle today and what it could earn: every member reads it."""

    serializer_class = IdleCashOutputSerializer

    @extend_schema(
        summary="Idle cash today: the 30-day floor less what must be kept, and what it could earn",
        responses={200: IdleCashOutputSerializer},
    )
    def retrieve(self, request: Request, chama_id: str) -> Response:
        return Response(IdleCashOutputSerializer(idle_cash_report_get(chama=self.chama)).data)
