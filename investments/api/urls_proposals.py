"""Idle cash and proposals' routes under chamas/{chama_id}/ (concatenated by
investments.api.urls)."""

from django.urls import re_path

from groups.api.urls import CHAMA
from investments.api.views.proposals import IdleCashViewSet, ProposalViewSet

# chamas/{chama_id}/proposals/  .../{proposal_id}/  .../approve/  .../reject/  .../execute/
routes = [(f"{CHAMA}/proposals", ProposalViewSet, "investment-proposal")]

patterns = [
    # chamas/{chama_id}/investments/idle-cash/
    re_path(
        rf"^{CHAMA}/investments/idle-cash/$",
        IdleCashViewSet.as_view({"get": "retrieve"}),
        name="investment-idle-cash",
    ),
]
