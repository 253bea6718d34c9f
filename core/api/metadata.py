"""OPTIONS answers what the route is and what it speaks, for every route alike. The fields of
each action are the OpenAPI schema's to describe (``/api/schema/``): DRF's default metadata
builds a serializer per action, which some actions (a payout request, a repayment) do not
declare on the view, so OPTIONS on them failed."""

from typing import TYPE_CHECKING, Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class RouteMetadata(SimpleMetadata):
    def determine_metadata(self, request: Request, view: "APIView") -> dict[str, Any]:
        metadata: dict[str, Any] = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        metadata["allowed_methods"] = sorted(view.allowed_methods)
        metadata["schema"] = "/api/schema/"
        return metadata

    def determine_actions(self, request: Request, view: "APIView") -> dict[str, Any]:
        return {}
