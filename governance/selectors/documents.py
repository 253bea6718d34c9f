"""Reads of documents: what a member may see of them."""

from django.db.models import QuerySet

from governance.models import Document, DocumentVisibility
from groups.choices import OFFICE_ROLES
from groups.models import Membership


def document_list(*, viewer: Membership) -> QuerySet[Document]:
    """The documents of the viewer's chama they may read, newest first: every one for the
    officials and the auditor, the member-visible ones for a member; deleted ones never."""
    documents = Document.objects.filter(chama_id=viewer.chama_id, deleted_at__isnull=True)
    if viewer.role not in OFFICE_ROLES:
        documents = documents.filter(visibility=DocumentVisibility.MEMBERS)
    return documents.select_related("uploaded_by__user").order_by("-created_at", "-id")
