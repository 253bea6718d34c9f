"""Meetings and attendance in the back office: read-only (the API's services write them);
a staff official sees only their own chamas."""

from django.contrib import admin

from finance.admin import ReadOnlyAdminMixin
from governance.models import Attendance, Meeting
from groups.admin import ChamaScopedAdminMixin


class AttendanceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attendance
    fields = ("membership", "status", "recorded_by", "checked_in_at")
    readonly_fields = fields
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["starts_at", "chama", "status", "place", "chaired_by"]
    list_filter = ["status"]
    list_select_related = ["chama", "chaired_by__user", "chaired_by__chama"]
    search_fields = ["chama__code", "chama__name", "place", "agenda"]
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    chama_lookup = "meeting__chama"
    list_display = ["meeting", "membership", "status", "recorded_by", "checked_in_at"]
    list_filter = ["status"]
    list_select_related = [
        "meeting",
        "membership__user",
        "membership__chama",
        "recorded_by__user",
        "recorded_by__chama",
    ]
