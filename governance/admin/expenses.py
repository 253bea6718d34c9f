"""Expenses in the back office: read-only (recorded and paid through the API, which takes the
receipt); an official may sign the approval of selected expenses here, as in the API. A staff
official sees only their own chamas."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.exceptions import DomainError
from finance.admin import ReadOnlyAdminMixin, run_service_action
from governance.exceptions import ExpenseError
from governance.models import Expense
from governance.services.expenses import expense_approve
from groups.admin import ChamaScopedAdminMixin
from groups.models import Membership


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyAdminMixin, ChamaScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "chama", "category", "payee", "amount", "status", "paid_from"]
    list_filter = ["status", "category", "paid_from"]
    list_select_related = ["chama"]
    search_fields = ["payee", "description", "chama__code"]
    date_hierarchy = "created_at"
    actions = ["approve"]

    @admin.action(description="Sign the approval of the selected expenses (not your own)")
    def approve(self, request: HttpRequest, queryset: QuerySet[Expense]) -> None:
        def approve_one(expense: Expense, acting: Membership | None) -> Expense:
            if acting is None:  # the platform admin holds no office and decides nothing
                raise DomainError(ExpenseError.OFFICIALS_ONLY)
            return expense_approve(expense=expense, acting=acting)

        run_service_action(self, request, queryset.select_related("chama"), approve_one, "Signed")
