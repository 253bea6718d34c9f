"""Votes in the back office: read-only (votes change only through their services); the chair
may close votes here as in the API. A ballot shows its vote and choice and nothing else: the
participations page says who voted, never what (an anonymous vote never stores it)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from finance.admin import ReadOnlyAdminMixin, run_service_action
from governance.models import Ballot, Vote, VoteParticipation, VoteProxy
from governance.services.votes import vote_close
from groups.admin import ChamaScopedAdminMixin
from groups.models import Membership


class VoteParticipationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = VoteParticipation
    fields = ("membership", "cast_by", "choice")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[VoteParticipation]:
        return (
            super()
            .get_queryset(request)
            .select_related("membership__user", "membership__chama", "cast_by__user")
        )


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "chama", "kind", "anonymous", "status", "result", "closes_at"]
    list_filter = ["status", "result", "kind", "anonymous"]
    list_select_related = ["chama"]
    search_fields = ["title", "chama__code"]
    readonly_fields = [
        "yes_count",
        "no_count",
        "abstain_count",
    ]
    inlines = [VoteParticipationInline]
    actions = ["close_votes"]

    @admin.action(description="Close the selected votes and count them (the chair)")
    def close_votes(self, request: HttpRequest, queryset: QuerySet[Vote]) -> None:
        def close(vote: Vote, acting: Membership | None) -> Vote:
            return vote_close(vote=vote, acting=acting)

        run_service_action(self, request, queryset.select_related("chama"), close, "Closed")


@admin.register(VoteParticipation)
class VoteParticipationAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    chama_lookup = "vote__chama"
    list_display = ["vote", "membership", "cast_by", "choice"]
    list_select_related = ["vote__chama", "membership__user", "membership__chama", "cast_by__user"]
    search_fields = ["vote__title", "membership__member_code"]


@admin.register(VoteProxy)
class VoteProxyAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    chama_lookup = "vote__chama"
    list_display = ["vote", "grantor", "holder", "created_at"]
    list_select_related = ["vote__chama", "grantor__user", "grantor__chama", "holder__user"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    """Ballots by vote and choice, for a recount; nothing here leads to a voter."""

    chama_lookup = "vote__chama"
    list_display = ["vote", "choice"]
    list_filter = ["choice"]
    list_select_related = ["vote__chama"]
    ordering = ["vote", "choice"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        return queryset, False
