"""Savings goals and their simulations as the API reads and writes them."""

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import ExactDecimalField, MoneyField, money
from governance.api.serializers.meetings import MemberRefOutputSerializer
from groups.api.fields import ChamaMemberField
from investments.models import GoalStatus, SavingsGoal
from investments.services.goal_simulations import (
    DEFAULT_PATHS,
    DEFAULT_TARGET_PROBABILITY,
    GoalSimulation,
)
from investments.services.goals import NAME_MAX
from investments.simulator import Band

SEED_MAX = 2**63 - 1


class SavingsGoalOutputSerializer(serializers.ModelSerializer):
    member = MemberRefOutputSerializer(
        source="membership", allow_null=True, help_text="Null: a goal of the whole chama."
    )
    target_amount = MoneyField(read_only=True)
    option_id = serializers.UUIDField(allow_null=True, help_text="The option it is simulated in.")
    status = serializers.ChoiceField(choices=GoalStatus.choices)
    created_by = MemberRefOutputSerializer()

    class Meta:
        model = SavingsGoal
        fields = [
            "id",
            "name",
            "member",
            "target_amount",
            "target_date",
            "option_id",
            "status",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class SavingsGoalCreateInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=NAME_MAX)
    target_amount = MoneyField()
    target_date = serializers.DateField(help_text="In the future, at most 30 years away.")
    for_chama = serializers.BooleanField(
        default=False, help_text="Officials: a goal of the whole chama (name no member)."
    )
    member_id = ChamaMemberField(
        source="membership",
        required=False,
        help_text="Officials: the member the goal is for (left out: your own).",
    )
    option_id = serializers.UUIDField(
        required=False, help_text="An investment option (investment-options/) to simulate it in."
    )


class GoalSimulateInputSerializer(InputSerializer):
    paths = serializers.IntegerField(
        min_value=1, default=DEFAULT_PATHS, help_text="Monte Carlo paths, at most 100,000."
    )
    seed = serializers.IntegerField(
        min_value=0,
        max_value=SEED_MAX,
        required=False,
        help_text="Left out: a fresh one, returned with the answer to run it again.",
    )
    target_probability = ExactDecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal("0.01"),
        max_value=Decimal("1"),
        default=DEFAULT_TARGET_PROBABILITY,
    )
    inflation = ExactDecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        required=False,
        help_text="Annual, as a fraction (0.05 is 5%); left out: the platform's setting.",
    )
    option_id = serializers.UUIDField(
        required=False, help_text="An investment option; left out: the goal's own, if any."
    )


class PercentilesOutputSerializer(serializers.Serializer):
    p10 = MoneyField(allow_zero=True)
    p50 = MoneyField(allow_zero=True)
    p90 = MoneyField(allow_zero=True)


class SimulationBandOutputSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    date = serializers.DateField()
    investing = PercentilesOutputSerializer(allow_null=True)
    cash = PercentilesOutputSerializer()


def _probability_field(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=4, **kwargs)


class GoalSimulationOutputSerializer(serializers.Serializer):
    """A simulation's answer, in today's money (deflated by ``inflation``)."""

    goal_id = serializers.UUIDField()
    option_id = serializers.UUIDField(allow_null=True)
    paths = serializers.IntegerField()
    seed = serializers.IntegerField()
    months = serializers.IntegerField()
    target_amount = MoneyField()
    target_probability = _probability_field()
    inflation = serializers.DecimalField(max_digits=5, decimal_places=4)
    history_source = serializers.ChoiceField(
        choices=["history", "constitution"],
        help_text="What the monthly contributions are drawn from.",
    )
    history_months = serializers.IntegerField()
    average_monthly_contribution = MoneyField(allow_zero=True)
    probability_investing = _probability_field(
        allow_null=True, help_text="Null without an investment option."
    )
    probability_cash = _probability_field()
    monthly_increase_needed = MoneyField(
        allow_zero=True,
        help_text="The extra a month that brings the chance (investing, or cash without an "
        "option) to target_probability.",
    )
    bands = SimulationBandOutputSerializer(many=True)


def _probability(value: float) -> Decimal:
    return Decimal(f"{value:.4f}")


def _percentiles(band: Band) -> dict[str, Decimal]:
    return {name: money(repr(getattr(band, name))) for name in ("p10", "p50", "p90")}


def goal_simulation_data(simulation: GoalSimulation) -> dict[str, Any]:
    """What ``GoalSimulationOutputSerializer`` writes out, read from a simulation."""
    result, invested = simulation.result, simulation.rates is not None
    history = simulation.history
    return {
        "goal_id": simulation.goal.pk,
        "option_id": simulation.option.pk if simulation.option is not None else None,
        "paths": result.paths,
        "seed": result.seed,
        "months": result.months,
        "target_amount": simulation.goal.target_amount,
        "target_probability": simulation.target_probability,
        "inflation": simulation.inflation,
        "history_source": simulation.history_source,
        "history_months": len(history) if simulation.history_source == "history" else 0,
        "average_monthly_contribution": money(sum(history, Decimal(0)) / len(history)),
        "probability_investing": _probability(result.probability_investing) if invested else None,
        "probability_cash": _probability(result.probability_cash),
        "monthly_increase_needed": result.monthly_increase_needed,
        "bands": [
            {
                "month": cash.month,
                "date": simulation.month_date(cash.month),
                "investing": _percentiles(investing) if invested else None,
                "cash": _percentiles(cash),
            }
            for investing, cash in zip(result.bands_investing, result.bands_cash, strict=True)
        ],
    }
