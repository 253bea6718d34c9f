"""Profit declarations' and wealth reports' routes under chamas/{chama_id}/
(investments.api.urls gathers them)."""

from groups.api.urls import CHAMA
from investments.api.views.profits import ProfitDeclarationViewSet, WealthReportViewSet

routes = [
    # chamas/{chama_id}/profits/  .../{declaration_id}/  .../{declaration_id}/settle/
    (f"{CHAMA}/profits", ProfitDeclarationViewSet, "profit"),
    # chamas/{chama_id}/wealth-reports/  .../{report_id}/  .../{report_id}/choose/
    (f"{CHAMA}/wealth-reports", WealthReportViewSet, "wealth-report"),
]
