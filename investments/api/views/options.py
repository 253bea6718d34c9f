"""investment-options/: what a chama may invest in, with each option's rate history. Any
signed-in user reads them; platform administrators maintain them in the admin."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from groups.api.scoping import UUID_RE
from investments.api.serializers.options import InvestmentOptionOutputSerializer
from investments.models import InvestmentOption
from investments.selectors import option_list


class InvestmentOptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    lookup_url_kwarg = "option_id"
    lookup_value_regex = UUID_RE
    serializer_class = InvestmentOptionOutputSerializer

    def get_queryset(self) -> QuerySet[InvestmentOption]:
        return option_list()

    @extend_schema(
        summary="The investment options open for placement, with their rates",
        responses={200: InvestmentOptionOutputSerializer(many=True)},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="An investment option with its rate history",
        responses={200: InvestmentOptionOutputSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)
