"""governance endpoints, all under chamas/{chama_id}/: each area lists its routes in
urls_<area>.py as (prefix, viewset, basename)."""

from rest_framework.routers import SimpleRouter

from governance.api import urls_documents, urls_meetings

router = SimpleRouter()
for prefix, viewset, basename in [*urls_meetings.routes, *urls_documents.routes]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
