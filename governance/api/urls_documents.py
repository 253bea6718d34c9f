"""Documents' routes (see governance/api/urls.py)."""

from governance.api.views.documents import DocumentViewSet
from groups.api.urls import CHAMA

# chamas/{chama_id}/documents/  .../{document_id}/  .../{document_id}/download/
routes = [(f"{CHAMA}/documents", DocumentViewSet, "document")]
