"""Holdings' routes under chamas/{chama_id}/ (concatenated by investments.api.urls)."""

from groups.api.urls import CHAMA
from investments.api.views.holdings import HoldingViewSet, PortfolioViewSet

routes = [
    # chamas/{chama_id}/investments/  .../{holding_id}/  .../{holding_id}/mature/
    (f"{CHAMA}/investments", HoldingViewSet, "investment"),
    # chamas/{chama_id}/portfolio/
    (f"{CHAMA}/portfolio", PortfolioViewSet, "portfolio"),
]
