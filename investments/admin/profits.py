"""Profit in the back office: read-only (declared, chosen and settled through the services);
a staff official sees only their own chamas."""

from django.contrib import admin

from finance.admin import ReadOnlyAdminMixin
from groups.admin import ChamaScopedAdminMixin
from investments.models import ProfitDeclaration, ProfitShare


class ProfitShareInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProfitShare
    fields = ("membership", "weight", "amount", "tax", "choice", "paid_from", "settled_at")
    readonly_fields = fields
    extra = 0


@admin.register(ProfitDeclaration)
class ProfitDeclarationAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["declared_on", "chama", "source_label", "net", "tax", "basis", "payout"]
    list_filter = ["basis", "payout"]
    list_select_related = ["chama"]
    search_fields = ["source_label", "chama__code", "chama__name"]
    date_hierarchy = "declared_on"
    inlines = [ProfitShareInline]


@admin.register(ProfitShare)
class ProfitShareAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    chama_lookup = "declaration__chama"
    list_display = ["declaration", "membership", "amount", "tax", "choice", "settled_at"]
    list_filter = ["choice"]
    list_select_related = ["declaration__chama", "membership__user"]
    search_fields = ["membership__member_code", "membership__user__full_name"]
