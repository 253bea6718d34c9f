"""Savings goals in the back office: read-only rows, set through the API (goals/), whose
service checks who may set a goal for whom and that its date is ahead."""

from django.contrib import admin

from finance.admin import ReadOnlyAdminMixin
from groups.admin import ChamaScopedAdminMixin
from investments.models import SavingsGoal


@admin.register(SavingsGoal)
class SavingsGoalAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "chama", "membership", "target_amount", "target_date", "status"]
    list_filter = ["status"]
    list_select_related = ["chama", "membership__user", "membership__chama"]
    search_fields = ["name", "membership__member_code", "chama__code"]
    date_hierarchy = "target_date"
