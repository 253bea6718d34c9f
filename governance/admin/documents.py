"""Documents in the back office: their details, read-only (uploads go through the API, which
sniffs the type); a staff official sees only their own chamas."""

from django.contrib import admin

from finance.admin import ReadOnlyAdminMixin
from governance.models import Document
from groups.admin import ChamaScopedAdminMixin


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "title", "kind", "visibility", "content_type", "size", "chama"]
    list_filter = ["kind", "visibility"]
    list_select_related = ["chama"]
    search_fields = ["title", "original_name", "chama__code"]
    exclude = ["file"]  # the bytes are downloaded through the API, which checks who may
