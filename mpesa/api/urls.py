"""M-Pesa endpoints, all under chamas/{chama_id}/ (see groups.api.scoping)."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from groups.api.urls import CHAMA
from mpesa.api.views import C2BPaymentViewSet, StatementReconciliationViewSet, StkPushViewSet

router = SimpleRouter()
# chamas/{chama_id}/contributions/stk-push/  .../stk-push/{checkout_request_id}/
router.register(f"{CHAMA}/contributions/stk-push", StkPushViewSet, basename="stk-push")
# chamas/{chama_id}/mpesa/paybill/  .../paybill/{payment_id}/
router.register(f"{CHAMA}/mpesa/paybill", C2BPaymentViewSet, basename="c2b-payment")

urlpatterns = router.urls
# chamas/{chama_id}/mpesa/statement/ — an upload answered with a report; nothing is stored.
urlpatterns += [
    re_path(
        rf"^{CHAMA}/mpesa/statement/$",
        StatementReconciliationViewSet.as_view({"post": "create"}),
        name="mpesa-statement",
    ),
]
