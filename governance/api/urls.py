"""governance endpoints, all under chamas/{chama_id}/: each area lists its own ``routes``."""

from governance.api import urls_constitution

urlpatterns = [*urls_constitution.routes]
