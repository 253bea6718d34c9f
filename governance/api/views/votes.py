"""chamas/{chama_id}/votes/: officials open motions, members vote (in person or by proxy),
the chair closes (or the job, at the deadline)."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from governance.api.serializers.votes import (
    BallotCastInputSerializer,
    VoteBallotsOutputSerializer,
    VoteOpenInputSerializer,
    VoteOutputSerializer,
    VoteProxyGrantInputSerializer,
    VoteProxyOutputSerializer,
)
from governance.models import Vote, VoteStatus
from governance.selectors.votes import vote_list, vote_participation_list
from governance.services.ballots import ballot_cast, vote_proxy_grant
from governance.services.votes import vote_close, vote_open
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import ALL_ROLES, Role

VOTER_ROLES = ALL_ROLES - {Role.AUDITOR}


class VoteFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VoteStatus.choices)

    class Meta:
        model = Vote
        fields = ["status"]


class VoteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """Officials open votes; every member but the auditor votes; only the chair closes."""

    lookup_url_kwarg = "vote_id"
    target_name = "vote"
    serializer_class = VoteOutputSerializer
    filterset_class = VoteFilter
    action_roles = {
        "ballots": ALL_ROLES,
        "cast": VOTER_ROLES,
        "proxy": VOTER_ROLES,
        "close": frozenset({Role.CHAIR}),
    }

    def get_queryset(self) -> QuerySet[Vote]:
        if self.is_schema_generation:
            return QuerySet(Vote).none()
        return vote_list(chama=self.chama, viewer=self.membership)

    @extend_schema(
        summary="Votes, newest first (tallies once closed)",
        responses={200: VoteOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A vote, with whether you have voted", responses={200: VoteOutputSerializer}
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Open a motion (officials)",
        request=VoteOpenInputSerializer,
        responses={201: VoteOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(vote_open, input_serializer=VoteOpenInputSerializer)

    @extend_schema(
        summary="Who voted what (open ballots) or only how many (anonymous ones)",
        responses={200: VoteBallotsOutputSerializer},
    )
    @action(detail=True, methods=["get"])
    def ballots(self, request: Request, chama_id: str, vote_id: str) -> Response:
        vote = self.get_object()
        voters = [] if vote.anonymous else vote_participation_list(vote=vote)
        tallies = vote if vote.status == VoteStatus.CLOSED else None
        data = {
            "vote_id": vote.pk,
            "anonymous": vote.anonymous,
            "status": vote.status,
            "turnout": vote.turnout,
            "tallies": tallies,
            "ballots": voters,
        }
        return Response(VoteBallotsOutputSerializer(data).data)

    @extend_schema(
        summary="Cast a ballot, yours or (for_member_id) one whose proxy you hold",
        request=BallotCastInputSerializer,
        responses={201: VoteOutputSerializer},
    )
    @ballots.mapping.post
    def cast(self, request: Request, chama_id: str, vote_id: str) -> Response:
        return self.transition(ballot_cast, input_serializer=BallotCastInputSerializer, status=201)

    @extend_schema(
        summary="Give another member your proxy for this vote",
        request=VoteProxyGrantInputSerializer,
        responses={201: VoteProxyOutputSerializer},
    )
    @action(detail=True, methods=["post"], url_path="proxies")
    def proxy(self, request: Request, chama_id: str, vote_id: str) -> Response:
        vote = self.get_object()
        data = self.validated(VoteProxyGrantInputSerializer)
        made = vote_proxy_grant(vote=vote, acting=self.membership, **data)
        return Response(VoteProxyOutputSerializer(made).data, status=201)

    @extend_schema(
        summary="Close the vote and count it (the chair; the job closes it at the deadline)",
        request=None,
        responses={200: VoteOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, chama_id: str, vote_id: str) -> Response:
        return self.transition(vote_close)
