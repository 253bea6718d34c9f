"""investments endpoints: each area lists its routes in urls_<area>.py — viewsets as (prefix,
viewset, basename), registered here on one router, and ready-made URL patterns."""

from rest_framework.routers import SimpleRouter

from investments.api import urls_proposals

router = SimpleRouter()
for prefix, viewset, basename in [
    *urls_proposals.routes,
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [*urls_proposals.patterns, *router.urls]
