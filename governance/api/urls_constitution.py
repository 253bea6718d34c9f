"""The constitution's routes, all under chamas/{chama_id}/ (see groups.api.scoping)."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from governance.api.views.constitution import (
    ConstitutionProposalViewSet,
    ConstitutionVersionViewSet,
    ConstitutionViewSet,
)
from groups.api.urls import CHAMA

router = SimpleRouter()
# chamas/{chama_id}/constitution/versions/  .../constitution/versions/{number}/
router.register(
    f"{CHAMA}/constitution/versions", ConstitutionVersionViewSet, basename="constitution-version"
)
# chamas/{chama_id}/constitution/proposals/
router.register(
    f"{CHAMA}/constitution/proposals",
    ConstitutionProposalViewSet,
    basename="constitution-proposal",
)

routes = [
    # chamas/{chama_id}/constitution/
    re_path(
        rf"^{CHAMA}/constitution/$",
        ConstitutionViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="constitution",
    ),
    # chamas/{chama_id}/constitution/accept/
    re_path(
        rf"^{CHAMA}/constitution/accept/$",
        ConstitutionViewSet.as_view({"post": "accept"}),
        name="constitution-accept",
    ),
    *router.urls,
]
