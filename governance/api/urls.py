"""governance endpoints, all under chamas/{chama_id}/: each area lists its routes in
urls_<area>.py — viewsets as (prefix, viewset, basename), registered here on one router, or
ready-made URL patterns."""

from rest_framework.routers import SimpleRouter

from governance.api import (
    urls_alerts,
    urls_constitution,
    urls_documents,
    urls_expenses,
    urls_fines,
    urls_meetings,
    urls_votes,
)

router = SimpleRouter()
for prefix, viewset, basename in [
    *urls_meetings.routes,
    *urls_documents.routes,
    *urls_votes.routes,
    *urls_expenses.routes,
    *urls_fines.routes,
    *urls_alerts.routes,
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [*urls_constitution.routes, *router.urls]
