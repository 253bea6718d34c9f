"""Expenses' routes under chamas/{chama_id}/ (concatenated by governance.api.urls)."""

from governance.api.views.expenses import ExpenseViewSet
from groups.api.urls import CHAMA

# chamas/{chama_id}/expenses/  .../{expense_id}/  .../approve/  .../reject/  .../pay/
routes = [(f"{CHAMA}/expenses", ExpenseViewSet, "expense")]
