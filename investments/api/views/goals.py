"""chamas/{chama_id}/goals/: savings goals, a member's own or the chama's, and their Monte
Carlo simulation (goals/{goal_id}/simulate/)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from groups.api.scoping import ChamaScopedViewSet
from groups.choices import ALL_ROLES, OFFICE_ROLES
from investments.api.serializers.goals import (
    GoalSimulateInputSerializer,
    GoalSimulationOutputSerializer,
    SavingsGoalCreateInputSerializer,
    SavingsGoalOutputSerializer,
    goal_simulation_data,
)
from investments.models import SavingsGoal
from investments.selectors.goals import goal_list
from investments.services.goal_simulations import goal_simulate
from investments.services.goals import SETTERS, goal_create


class SavingsGoalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChamaScopedViewSet):
    """A member reads the chama's goals and their own; the officers (and the auditor) read
    every member's too. Members set their own goals, officials the chama's and any member's;
    whoever can read a goal may simulate it, which writes nothing."""

    lookup_url_kwarg = "goal_id"
    serializer_class = SavingsGoalOutputSerializer
    action_roles = {"create": frozenset(SETTERS), "simulate": frozenset(ALL_ROLES)}

    def get_queryset(self) -> QuerySet[SavingsGoal]:
        if self.is_schema_generation:
            return QuerySet(SavingsGoal).none()
        return goal_list(
            chama=self.chama,
            viewer=self.membership,
            sees_all=self.membership.role in OFFICE_ROLES,
        )

    @extend_schema(summary="The savings goals you can see, soonest first")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A savings goal")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=(
            "Set a savings goal: your own, or (officials) the chama's (for_chama) or a "
            "member's (member_id)"
        ),
        request=SavingsGoalCreateInputSerializer,
        responses={201: SavingsGoalOutputSerializer},
    )
    def create(self, request: Request, chama_id: str) -> Response:
        return self.create_through(goal_create, input_serializer=SavingsGoalCreateInputSerializer)

    @extend_schema(
        summary=(
            "Simulate a goal (Monte Carlo): the chance of reaching it investing and in cash, "
            "10/50/90 percentile bands per month, and the monthly increase a target chance "
            "needs; writes nothing"
        ),
        request=GoalSimulateInputSerializer,
        responses={200: GoalSimulationOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def simulate(self, request: Request, chama_id: str, goal_id: str) -> Response:
        goal = self.get_object()
        data = self.validated(GoalSimulateInputSerializer)
        simulation = goal_simulate(goal=goal, **data)
        return Response(GoalSimulationOutputSerializer(goal_simulation_data(simulation)).data)
