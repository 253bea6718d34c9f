"""Cycles, rounds and dues (DESIGN.md §3.3).

A cycle is one full rotation: one round per active member in seat order, each with a meeting
date and a recipient, and one due per active member per round.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import BaseModel
from core.money import money_field
from finance.choices import CycleStatus, DueStatus, RoundStatus
from groups.choices import CycleFrequency
from groups.models import Chama, Membership


class Cycle(BaseModel):
    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="cycles")
    number = models.PositiveIntegerField()
    start_date = models.DateField()
    frequency = models.CharField(max_length=10, choices=CycleFrequency.choices)
    status = models.CharField(
        max_length=10, choices=CycleStatus.choices, default=CycleStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["chama", "number"]
        constraints = [
            models.UniqueConstraint(fields=["chama", "number"], name="finance_cycle_number_unique"),
            models.UniqueConstraint(
                fields=["chama"],
                condition=Q(status=CycleStatus.ACTIVE),
                name="finance_cycle_one_active_per_chama",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chama.code} cycle {self.number}"


class Round(BaseModel):
    """One meeting of a cycle: its recipient receives the pot (the rotation parts of its dues)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="rounds")
    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveIntegerField()
    meeting_date = models.DateField()
    recipient = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=15, choices=RoundStatus.choices, default=RoundStatus.OPEN)

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="finance_round_number_unique"),
            models.UniqueConstraint(
                fields=["cycle", "recipient"], name="finance_round_recipient_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chama.code} cycle {self.cycle.number} round {self.number}"


class Due(BaseModel):
    """What one member owes for one round, split as the chama's contribution was.

    ``paid_amount`` (and its split) are what confirmed contributions have applied to this due;
    they change only in the contribution services, under the member's lock, and always stay
    between zero and the expected amounts.
    """

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="dues")
    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="dues")
    due_date = models.DateField()
    expected_amount = money_field()
    rotation_amount = money_field()
    savings_amount = money_field()
    welfare_amount = money_field()
    paid_rotation = money_field(default=0)
    paid_savings = money_field(default=0)
    paid_welfare = money_field(default=0)
    status = models.CharField(max_length=10, choices=DueStatus.choices, default=DueStatus.PENDING)

    class Meta:
        ordering = ["due_date", "round__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "membership"], name="finance_due_one_per_round"
            ),
            models.CheckConstraint(
                condition=Q(
                    expected_amount=F("rotation_amount") + F("savings_amount") + F("welfare_amount")
                ),
                name="finance_due_split_sums",
            ),
            models.CheckConstraint(
                condition=Q(
                    paid_rotation__gte=0,
                    paid_savings__gte=0,
                    paid_welfare__gte=0,
                    paid_rotation__lte=F("rotation_amount"),
                    paid_savings__lte=F("savings_amount"),
                    paid_welfare__lte=F("welfare_amount"),
                ),
                name="finance_due_paid_within_expected",
            ),
        ]
        indexes = [
            models.Index(
                fields=["membership", "status", "due_date"], name="finance_due_member_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.member_code} round {self.round.number}: {self.status}"

    @property
    def paid_amount(self) -> Decimal:
        return self.paid_rotation + self.paid_savings + self.paid_welfare

    @property
    def remaining(self) -> Decimal:
        return self.expected_amount - self.paid_amount
