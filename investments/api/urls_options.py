"""Investment options' routes, top level (not under a chama)."""

from investments.api.views.options import InvestmentOptionViewSet

# investment-options/  investment-options/{option_id}/
routes = [("investment-options", InvestmentOptionViewSet, "investment-option")]
