"""The monthly credit-scoring runs: one row per month, the job's natural key."""

from django.db import models

from core.models import BaseModel


class CreditScoreRun(BaseModel):
    """The scoring of every membership for one calendar ``month`` (its first day), computed as
    of ``as_of``. Unique per month, so a beat fired twice, or ``run_job`` after the beat,
    scores nobody again that month. Never edited."""

    month = models.DateField(unique=True, help_text="The first day of the month scored.")
    as_of = models.DateField(help_text="The day the scores were computed as of.")
    memberships = models.PositiveIntegerField(help_text="How many memberships it scored.")

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"Credit scores of {self.month:%Y-%m} ({self.memberships} memberships)"
