"""What the treasurer and the platform staff see of M-Pesa: prompts, paybill payments,
transfers, and every callback as it arrived. All rows are written by services only."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from finance.admin import ReadOnlyAdminMixin
from groups.admin import ChamaScopedAdminMixin
from mpesa.choices import ATTENTION_OUTCOMES, REPROCESSABLE_OUTCOMES
from mpesa.models import B2CRequest, C2BPayment, DarajaCallback, StkRequest
from mpesa.services.intake import callback_process


class NeedsAttentionFilter(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Unknown, held or unreadable")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[DarajaCallback]
    ) -> QuerySet[DarajaCallback]:
        if self.value() == "yes":
            return queryset.filter(outcome__in=ATTENTION_OUTCOMES)
        return queryset


@admin.register(DarajaCallback)
class DarajaCallbackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Platform staff only: a callback may concern no chama, or a chama not yet known."""

    list_display = ["received_at", "kind", "outcome", "reference", "detail", "source_ip"]
    list_filter = [NeedsAttentionFilter, "outcome", "kind"]
    search_fields = ["reference", "body"]
    date_hierarchy = "received_at"
    actions = ["process_again"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_superuser)

    @admin.action(description="Process the selected unprocessed or unmatched callbacks again")
    def process_again(self, request: HttpRequest, queryset: QuerySet[DarajaCallback]) -> None:
        # A processed, duplicate, held or unreadable callback keeps the outcome it was given.
        for callback in queryset.filter(outcome__in=REPROCESSABLE_OUTCOMES).order_by("id"):
            processed = callback_process(callback=callback)
            self.message_user(
                request, f"#{callback.pk}: {processed.outcome}. {processed.detail}", messages.INFO
            )


@admin.register(StkRequest)
class StkRequestAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "membership", "amount", "purpose", "status", "receipt", "chama"]
    list_filter = ["status", "purpose"]
    list_select_related = ["chama", "membership__user", "membership__chama"]
    search_fields = ["checkout_request_id", "receipt", "phone", "membership__member_code"]
    date_hierarchy = "created_at"


@admin.register(C2BPayment)
class C2BPaymentAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["trans_time", "trans_id", "bill_ref_number", "amount", "status", "chama"]
    list_filter = ["status", "purpose"]
    list_select_related = ["chama"]
    search_fields = ["trans_id", "bill_ref_number", "payer_name"]
    date_hierarchy = "trans_time"


@admin.register(B2CRequest)
class B2CRequestAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "phone", "amount", "status", "receipt", "chama"]
    list_filter = ["status", "kind"]
    list_select_related = ["chama"]
    search_fields = ["originator_conversation_id", "conversation_id", "receipt", "phone"]
    date_hierarchy = "created_at"
