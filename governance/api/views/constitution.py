"""chamas/{chama_id}/constitution/: the version in force (or the default template), a new
version adopted by the chair or put to the members' vote, every version and proposal, and
each member's acceptance."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.serializers import InputSerializer
from governance.api.serializers.constitution import (
    ConstitutionAcceptanceOutputSerializer,
    ConstitutionAdoptInputSerializer,
    ConstitutionOutputSerializer,
    ConstitutionProposalOutputSerializer,
    ConstitutionVersionOutputSerializer,
)
from governance.choices import Language
from governance.models import ConstitutionProposal, ConstitutionVersion
from governance.selectors.constitution import (
    constitution_proposal_list,
    constitution_status_get,
    constitution_version_list,
)
from governance.services.constitution import ADOPTERS, constitution_accept, constitution_adopt
from governance.services.constitution_proposals import constitution_propose
from groups.api.scoping import ChamaScopedViewSet
from groups.choices import ALL_ROLES


class ConstitutionQueryInputSerializer(InputSerializer):
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ENGLISH)


# DRF's own code for the GET's query (a GET's query is not read for its fields).
@extend_validation_errors(["invalid_choice"], field_name="language", actions=["retrieve"])
class ConstitutionViewSet(ChamaScopedViewSet):
    """chamas/{chama_id}/constitution/ (GET, PUT) and .../constitution/accept/ (POST)."""

    serializer_class = ConstitutionOutputSerializer
    # Every member reads it and accepts it; the chair adopts a new version.
    action_roles = {"update": ADOPTERS, "accept": ALL_ROLES}

    def _current(self, *, http_status: int = 200) -> Response:
        query = ConstitutionQueryInputSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        current = constitution_status_get(
            chama=self.chama, viewer=self.membership, language=query.validated_data["language"]
        )
        data = ConstitutionOutputSerializer(current.version, context={"status": current}).data
        return Response(data, status=http_status)

    @extend_schema(
        summary="The constitution in force (the default template, version 0, before any)",
        parameters=[ConstitutionQueryInputSerializer],
        responses={200: ConstitutionOutputSerializer},
    )
    def retrieve(self, request: Request, chama_id: str) -> Response:
        return self._current()

    @extend_schema(
        summary=(
            "Adopt a new version of the constitution (chair; 201, its rules become the "
            "settings), or with by_vote put it to the members' vote (202, the proposal)"
        ),
        request=ConstitutionAdoptInputSerializer,
        responses={201: ConstitutionOutputSerializer, 202: ConstitutionProposalOutputSerializer},
    )
    def update(self, request: Request, chama_id: str) -> Response:
        data = self.validated(ConstitutionAdoptInputSerializer)
        if data.pop("by_vote"):
            proposal = constitution_propose(chama=self.chama, acting=self.membership, **data)
            body = ConstitutionProposalOutputSerializer(proposal).data
            return Response(body, status=status.HTTP_202_ACCEPTED)
        constitution_adopt(chama=self.chama, acting=self.membership, **data)
        return self._current(http_status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accept the constitution in force (recorded once)",
        request=None,
        responses={200: ConstitutionAcceptanceOutputSerializer},
    )
    def accept(self, request: Request, chama_id: str) -> Response:
        acceptance = constitution_accept(chama=self.chama, acting=self.membership)
        return Response(ConstitutionAcceptanceOutputSerializer(acceptance).data)


class ConstitutionVersionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet
):
    """chamas/{chama_id}/constitution/versions/ and .../versions/{number}/: every version,
    newest first, as adopted."""

    serializer_class = ConstitutionVersionOutputSerializer
    lookup_field = "number"
    lookup_url_kwarg = "number"
    lookup_value_regex = "[0-9]{1,9}"

    def get_queryset(self) -> QuerySet[ConstitutionVersion]:
        if self.is_schema_generation:
            return QuerySet(ConstitutionVersion).none()
        return constitution_version_list(chama=self.chama)

    @extend_schema(summary="Every version of the constitution, newest first")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One version of the constitution")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


class ConstitutionProposalViewSet(mixins.ListModelMixin, ChamaScopedViewSet):
    """chamas/{chama_id}/constitution/proposals/: every version put to the members' vote,
    newest first, with its vote and status."""

    serializer_class = ConstitutionProposalOutputSerializer

    def get_queryset(self) -> QuerySet[ConstitutionProposal]:
        if self.is_schema_generation:
            return QuerySet(ConstitutionProposal).none()
        return constitution_proposal_list(chama=self.chama)

    @extend_schema(summary="Every proposed version of the constitution and its vote, newest first")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
