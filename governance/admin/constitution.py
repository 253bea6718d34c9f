"""The constitution in the back office: versions, proposals and acceptances, read only (a
version is adopted through the API's PUT, or by the vote on a proposal, which project its
rules onto the settings)."""

from django.contrib import admin

from finance.admin import ReadOnlyAdminMixin
from governance.models import ConstitutionAcceptance, ConstitutionProposal, ConstitutionVersion
from groups.admin import ChamaScopedAdminMixin


@admin.register(ConstitutionVersion)
class ConstitutionVersionAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["chama", "number", "language", "adopted_by", "vote", "adopted_at"]
    list_filter = ["language"]
    list_select_related = ["chama", "adopted_by__user", "adopted_by__chama", "vote__chama"]
    search_fields = ["chama__name", "chama__code"]
    readonly_fields = (
        "chama",
        "number",
        "language",
        "adopted_by",
        "vote",
        "adopted_at",
        "rules",
        "text",
    )
    fields = readonly_fields


@admin.register(ConstitutionAcceptance)
class ConstitutionAcceptanceAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    chama_lookup = "version__chama"
    list_display = ["membership", "version", "accepted_at"]
    list_select_related = ["membership__user", "membership__chama", "version"]
    search_fields = ["membership__member_code", "membership__user__full_name"]
    readonly_fields = ("membership", "version", "accepted_at")
    fields = readonly_fields


@admin.register(ConstitutionProposal)
class ConstitutionProposalAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["chama", "status", "proposed_by", "vote", "version", "created_at"]
    list_filter = ["status", "language"]
    list_select_related = [
        "chama",
        "proposed_by__user",
        "proposed_by__chama",
        "vote__chama",
        "version__chama",
    ]
    search_fields = ["chama__name", "chama__code"]
    readonly_fields = (
        "chama",
        "status",
        "proposed_by",
        "vote",
        "version",
        "created_at",
        "decided_at",
        "language",
        "rules",
        "text",
    )
    fields = readonly_fields
