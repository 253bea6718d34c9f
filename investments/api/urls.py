"""investments endpoints: each area lists its routes in urls_<area>.py as (prefix, viewset,
basename), registered here on one router, and its ready-made URL patterns (if any)."""

from rest_framework.routers import SimpleRouter

from investments.api import urls_goals, urls_holdings, urls_options, urls_profits, urls_proposals

router = SimpleRouter()
for prefix, viewset, basename in [
    *urls_options.routes,
    *urls_holdings.routes,
    *urls_proposals.routes,
    *urls_profits.routes,
    *urls_goals.routes,
]:
    router.register(prefix, viewset, basename=basename)

# investments/idle-cash/ before the router's investments/{holding_id}/ (a UUID never matches it).
urlpatterns = [*urls_proposals.patterns, *router.urls]
