"""Savings goals' routes under chamas/{chama_id}/ (investments.api.urls gathers them)."""

from groups.api.urls import CHAMA
from investments.api.views.goals import SavingsGoalViewSet

# chamas/{chama_id}/goals/  .../goals/{goal_id}/  .../goals/{goal_id}/simulate/
routes = [(f"{CHAMA}/goals", SavingsGoalViewSet, "savings-goal")]
