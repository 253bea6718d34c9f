"""Anomaly alerts and runs in the back office: read-only rows (the nightly job writes them),
and a dismissal that calls the same service as the API as the signed-in official."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from finance.admin import ReadOnlyAdminMixin, _as_official, run_service_action
from governance.exceptions import AnomalyError
from governance.models import AnomalyAlert, AnomalyRun
from governance.services.anomaly_alerts import alert_dismiss
from groups.admin import ChamaScopedAdminMixin

ADMIN_DISMISS_NOTE = "Reviewed in the back office: nothing wrong."


@admin.register(AnomalyAlert)
class AnomalyAlertAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    """Alerts are decided through the API (alerts/{id}/dismiss/, resolve/) with a note."""

    list_display = ["created_at", "chama", "detector", "target_kind", "severity", "status"]
    list_filter = ["status", "detector"]
    list_select_related = ["chama"]
    search_fields = ["chama__code", "chama__name", "target_id"]
    date_hierarchy = "created_at"
    actions = ["dismiss"]

    @admin.action(description="Dismiss the selected alerts (nothing wrong)")
    def dismiss(self, request: HttpRequest, queryset: QuerySet[AnomalyAlert]) -> None:
        run_service_action(
            self,
            request,
            queryset.select_related("chama"),
            _as_official(
                alert_dismiss, AnomalyError.OFFICIALS_ONLY, target="alert", note=ADMIN_DISMISS_NOTE
            ),
            "Dismissed",
        )


@admin.register(AnomalyRun)
class AnomalyRunAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    """Each night's detection per chama: what was fitted, what was skipped and why."""

    list_display = ["day", "chama", "alerts_raised"]
    list_select_related = ["chama"]
    search_fields = ["chama__code", "chama__name"]
    date_hierarchy = "day"
