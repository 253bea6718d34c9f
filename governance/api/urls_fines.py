"""Fines' routes under chamas/{chama_id}/ (governance.api.urls gathers every area's)."""

from governance.api.views.fines import FineViewSet
from groups.api.urls import CHAMA

# chamas/{chama_id}/fines/  .../fines/{fine_id}/  .../pay/  .../waive/
routes = [(f"{CHAMA}/fines", FineViewSet, "fine")]
