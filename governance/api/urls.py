"""governance endpoints, all under chamas/{chama_id}/: each area lists its routes in
urls_<area>.py as (prefix, viewset, basename) and they are registered here on one router."""

from rest_framework.routers import SimpleRouter

from governance.api import urls_documents, urls_meetings, urls_votes

router = SimpleRouter()
for prefix, viewset, basename in [
    *urls_meetings.routes,
    *urls_documents.routes,
    *urls_votes.routes,
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
