"""finance endpoints, all under chamas/{chama_id}/ (see groups.api.scoping)."""

from rest_framework.routers import SimpleRouter

from groups.api.urls import CHAMA

router = SimpleRouter()

urlpatterns = router.urls
