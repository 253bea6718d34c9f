"""governance endpoints, all under chamas/{chama_id}/: each area lists its routes in
governance/api/urls_<area>.py (``routes``: prefix, viewset, basename) and they are registered
here on one router."""

from rest_framework.routers import SimpleRouter

from governance.api import urls_fines

router = SimpleRouter()
for prefix, viewset, basename in [*urls_fines.routes]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
