"""investments endpoints, all under chamas/{chama_id}/."""

from rest_framework.routers import SimpleRouter

from groups.api.urls import CHAMA
from investments.api.views import ProfitDeclarationViewSet, WealthReportViewSet

router = SimpleRouter()
# chamas/{chama_id}/profits/  .../{declaration_id}/  .../{declaration_id}/settle/
router.register(f"{CHAMA}/profits", ProfitDeclarationViewSet, basename="profit")
# chamas/{chama_id}/wealth-reports/  .../{report_id}/  .../{report_id}/choose/
router.register(f"{CHAMA}/wealth-reports", WealthReportViewSet, basename="wealth-report")

urlpatterns = router.urls
