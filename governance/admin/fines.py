"""Fines in the back office: read-only rows (they are money), and a waiver that calls the same
service as the API as the signed-in official (over the constitution's threshold, it opens the
members' vote)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from finance.admin import ReadOnlyAdminMixin, _as_official, run_service_action
from finance.exceptions import FineError
from finance.models import Fine
from governance.services.fine_waivers import fine_waive_request
from groups.admin import ChamaScopedAdminMixin

ADMIN_WAIVER_REASON = "Waived in the back office."


@admin.register(Fine)
class FineAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    """Fines are issued and paid through the API (fines/, fines/{id}/pay/), which name the
    member, the amount and the reason."""

    list_display = ["created_at", "membership", "kind", "amount", "paid_amount", "status", "chama"]
    list_filter = ["status", "kind"]
    list_select_related = ["chama", "membership__user", "membership__chama"]
    search_fields = ["reason", "membership__member_code", "chama__code"]
    date_hierarchy = "created_at"
    actions = ["waive"]

    @admin.action(description="Waive what is left of the selected fines")
    def waive(self, request: HttpRequest, queryset: QuerySet[Fine]) -> None:
        run_service_action(
            self,
            request,
            queryset.select_related("chama", "membership__user"),
            _as_official(fine_waive_request, FineError.OFFICIALS_WAIVE, reason=ADMIN_WAIVER_REASON),
            # Over the constitution's waiver threshold, a members' vote opens instead.
            "Waived or put to the members' vote",
        )
