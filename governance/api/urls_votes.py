"""Votes' routes under chamas/{chama_id}/ (concatenated by governance.api.urls)."""

from governance.api.views.votes import VoteViewSet
from groups.api.urls import CHAMA

# chamas/{chama_id}/votes/  .../{vote_id}/  .../ballots/  .../proxies/  .../close/
routes = [(f"{CHAMA}/votes", VoteViewSet, "vote")]
