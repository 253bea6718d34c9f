"""Investments in the back office. Platform administrators (superusers) maintain the options,
their dated rates and the tax settings; officials see their own chamas' holdings, read-only
(money moves only through the services), with the portfolio summary above the list, and may
record the maturity of selected holdings here as in the API."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from core.exceptions import DomainError
from finance.admin import ReadOnlyAdminMixin, run_service_action
from groups.admin import ChamaScopedAdminMixin
from groups.models import Chama, Membership
from investments.exceptions import InvestmentError
from investments.models import (
    Holding,
    IdleCashSnapshot,
    InvestmentOption,
    InvestmentProposal,
    MmfCredit,
    OptionRate,
    TaxSetting,
)
from investments.selectors import portfolio_get
from investments.services.maturity import holding_mature
from investments.services.options import option_rate_check

# Summaries shown above the holdings list (one per chama in it, at most this many).
SUMMARY_CHAMAS = 10


class PlatformAdminMixin:
    """Rows the platform maintains: staff may read them, only superusers write."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff)


class OptionRateForm(forms.ModelForm):
    class Meta:
        model = OptionRate
        fields = ["effective_from", "annual_rate"]

    def clean_annual_rate(self) -> Decimal:
        try:
            return option_rate_check(self.cleaned_data["annual_rate"])
        except DomainError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc


class OptionRateInline(PlatformAdminMixin, admin.TabularInline):
    model = OptionRate
    form = OptionRateForm
    extra = 1
    ordering = ["-effective_from"]


@admin.register(InvestmentOption)
class InvestmentOptionAdmin(PlatformAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "provider", "term_days", "minimum", "increment", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "provider"]
    inlines = [OptionRateInline]


@admin.register(TaxSetting)
class TaxSettingAdmin(PlatformAdminMixin, admin.ModelAdmin):
    list_display = ["effective_from", "withholding_rate", "day_basis"]


class MmfCreditInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MmfCredit
    fields = ("month", "days", "balance", "gross", "tax", "net", "entry")
    readonly_fields = fields
    extra = 0


@admin.register(Holding)
class HoldingAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "placed_on",
        "chama",
        "option",
        "status",
        "cost",
        "computed_price",
        "confirmed_price",
        "price_difference",
        "matures_on",
        "income",
    ]
    list_filter = ["status", "kind", "method"]
    list_select_related = ["chama", "option"]
    search_fields = ["broker_reference", "chama__code", "option__name"]
    date_hierarchy = "placed_on"
    inlines = [MmfCreditInline]
    actions = ["mature"]

    @admin.display(description="Confirmed - computed price")
    def price_difference(self, holding: Holding) -> Decimal | None:
        if holding.confirmed_price is None:
            return None
        return holding.confirmed_price - holding.computed_price

    @admin.action(description="Record the maturity of the selected holdings (our figures)")
    def mature(self, request: HttpRequest, queryset: QuerySet[Holding]) -> None:
        def mature_one(holding: Holding, acting: Membership | None) -> Holding:
            if acting is None:  # the platform admin holds no office and decides nothing
                raise DomainError(InvestmentError.OFFICIALS_ONLY)
            return holding_mature(holding=holding, acting=acting)

        run_service_action(self, request, queryset.select_related("chama"), mature_one, "Matured")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The list, with each listed chama's portfolio summary above it."""
        chama_ids = (self.get_queryset(request).values_list("chama_id", flat=True).distinct())[
            :SUMMARY_CHAMAS
        ]
        chamas = Chama.objects.filter(pk__in=list(chama_ids)).order_by("name")
        summaries = [(chama, portfolio_get(chama=chama)) for chama in chamas]
        return super().changelist_view(
            request, {**(extra_context or {}), "portfolio_summaries": summaries}
        )


@admin.register(IdleCashSnapshot)
class IdleCashSnapshotAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    """What the weekly scan found: written by the idle_cash_scan job only."""

    list_display = [
        "scanned_on",
        "chama",
        "cash_like",
        "floor_30d",
        "kept",
        "welfare_source",
        "idle",
    ]
    list_filter = ["scanned_on", "welfare_source"]
    list_select_related = ["chama"]
    search_fields = ["chama__code", "chama__name"]
    date_hierarchy = "scanned_on"


@admin.register(InvestmentProposal)
class InvestmentProposalAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    """Proposals are decided and executed through the API (proposals/{id}/approve/, reject/,
    execute/), which apply the constitution's rule and recheck the idle cash."""

    list_display = ["created_at", "chama", "option", "amount", "projected_net", "status"]
    list_filter = ["status"]
    list_select_related = ["chama", "option"]
    search_fields = ["chama__code", "chama__name", "option__name"]
    date_hierarchy = "created_at"
