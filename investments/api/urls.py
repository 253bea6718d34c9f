"""investments endpoints: each area lists its routes in urls_<area>.py as (prefix, viewset,
basename), registered here on one router."""

from rest_framework.routers import SimpleRouter

from investments.api import urls_holdings, urls_options

router = SimpleRouter()
for prefix, viewset, basename in [*urls_options.routes, *urls_holdings.routes]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
