"""The weekly record of each chama's idle cash (investments.selectors.idle_cash)."""

from django.db import models
from django.db.models import F, Q

from core.models import BaseModel
from core.money import money_field
from finance.choices import WelfareForecastSource
from groups.models import Chama


class IdleCashSnapshot(BaseModel):
    """A chama's idle cash as the scan found it on ``scanned_on``, with what was kept back
    (``breakdown``: {"pots", "approved_loans", "approved_expenses", "welfare_buffer",
    "reserve"} as decimal strings) and where the welfare buffer came from (``welfare_source``:
    the claim history's forecast, the constitution, or none).

    Invariants (constraints): one snapshot per chama per day, so a scan fired twice writes
    nothing the second time; every figure is at least zero; ``idle`` is the floor less what
    is kept, never below zero; the floor is never above the day's closing balance.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="idle_cash_snapshots")
    scanned_on = models.DateField()
    cash_like = money_field(help_text="Closing balance of 1010, 1020 and 1030 that day.")
    floor_30d = money_field(help_text="Lowest daily closing balance of the 30 days to that day.")
    kept = money_field(help_text="What the chama must keep (the breakdown's sum).")
    idle = money_field()
    breakdown = models.JSONField(default=dict)
    welfare_source = models.CharField(max_length=12, choices=WelfareForecastSource.choices)

    class Meta:
        ordering = ["-scanned_on", "chama_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chama", "scanned_on"], name="investments_idlecashsnapshot_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(cash_like__gte=0, floor_30d__gte=0, kept__gte=0, idle__gte=0),
                name="investments_idlecashsnapshot_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(floor_30d__lte=F("cash_like")),
                name="investments_idlecashsnapshot_floor_at_most_balance",
            ),
            models.CheckConstraint(
                condition=Q(idle__lte=F("floor_30d")),
                name="investments_idlecashsnapshot_idle_at_most_floor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chama_id} {self.scanned_on}: idle {self.idle}"
