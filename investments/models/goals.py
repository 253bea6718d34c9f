"""Savings goals: an amount a member, or the whole chama, means to have by a date."""

from django.db import models
from django.db.models import Q

from core.models import BaseModel
from core.money import money_field
from groups.models import Chama, Membership
from investments.models.options import InvestmentOption


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    CANCELLED = "cancelled", "Cancelled"


class SavingsGoal(BaseModel):
    """A goal of ``membership`` (a member's own) or, with no membership, of the chama.

    Invariants: the target amount is positive (constraint); the membership, when set, is of
    the same chama and so is ``created_by`` (the service makes it so); the target date was in
    the future when the goal was set (the service refuses one that is not: the database cannot
    hold a rule about today). A goal holds no money: it is what the simulator measures the
    saver's own history against, invested in ``option`` when it names one.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="savings_goals")
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="savings_goals",
        help_text="Empty: a goal of the whole chama.",
    )
    name = models.CharField(max_length=120)
    target_amount = money_field()
    target_date = models.DateField()
    option = models.ForeignKey(
        InvestmentOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: simulated in cash only.",
    )
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)

    class Meta:
        ordering = ["target_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_amount__gt=0), name="investments_savingsgoal_target_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=GoalStatus.values),
                name="investments_savingsgoal_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["chama", "target_date"], name="investments_goal_chama_date"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.target_amount} by {self.target_date}"
