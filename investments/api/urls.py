"""investments endpoints, all under chamas/{chama_id}/: each area lists its routes in
urls_<area>.py as (prefix, viewset, basename), registered here on one router."""

from rest_framework.routers import SimpleRouter

from investments.api import urls_goals

router = SimpleRouter()
for prefix, viewset, basename in [*urls_goals.routes]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [*router.urls]
