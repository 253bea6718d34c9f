"""Anomaly alerts: what the nightly detection found unusual in a chama's money, for its
officials to look at, and the record of each night's run per chama."""

from django.db import models
from django.db.models import Q

from core.models import BaseModel
from groups.models import Chama, Membership


class AnomalyDetector(models.TextChoices):
    """What raised an alert: the per-chama model over one kind of row, or a rule."""

    EXPENSE_MODEL = "expense_model", "Unusual expense (model)"
    CONTRIBUTION_MODEL = "contribution_model", "Unusual contribution (model)"
    REPAYMENT_MODEL = "repayment_model", "Unusual loan repayment (model)"
    SELF_APPROVED_EXPENSE = "self_approved_expense", "Official approved an expense paid to them"
    EXPENSE_BURST = "expense_burst", "Three large expenses by one person within 48 hours"
    PAYOUT_PHONE_CHANGED = "payout_phone_changed", "Payout phone changed just before a payout"


class AnomalyTarget(models.TextChoices):
    """The kind of object an alert points at (its id is ``target_id``)."""

    EXPENSE = "expense", "Expense"
    CONTRIBUTION = "contribution", "Contribution"
    LOAN_REPAYMENT = "loan_repayment", "Loan repayment"
    PAYOUT = "payout", "Payout"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    DISMISSED = "dismissed", "Dismissed: nothing wrong"
    RESOLVED = "resolved", "Resolved"


class AnomalyRun(BaseModel):
    """One night's detection for one chama: its natural key, so a second run the same night
    finds it and does nothing. ``outcome`` says per kind of row whether the model was fitted
    (with how many rows) or skipped and why, e.g.
    ``{"expense": {"status": "skipped", "rows": 12, "reason": "..."}}``."""

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="anomaly_runs")
    day = models.DateField(help_text="The night it ran for (Africa/Nairobi).")
    outcome = models.JSONField(default=dict)
    alerts_raised = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "chama"]
        constraints = [
            models.UniqueConstraint(fields=["chama", "day"], name="governance_anomalyrun_once"),
        ]

    def __str__(self) -> str:
        return f"Anomaly run {self.day} ({self.alerts_raised} alert(s))"


class AnomalyAlert(BaseModel):
    """Something unusual for the officials to look at: what raised it, the object it points at
    (kind and id), how unusual (``severity`` 0-1), why in words (``reasons``) and what to do.

    Invariants: a detector flags an object once (``governance_anomalyalert_once``: later nights
    do not repeat it); severity is within 0-1; an open alert has no decision, a dismissed or
    resolved one its official, time and note.
    """

    chama = models.ForeignKey(Chama, on_delete=models.PROTECT, related_name="anomaly_alerts")
    run = models.ForeignKey(AnomalyRun, on_delete=models.PROTECT, related_name="alerts")
    detector = models.CharField(max_length=24, choices=AnomalyDetector.choices)
    target_kind = models.CharField(max_length=16, choices=AnomalyTarget.choices)
    target_id = models.UUIDField()
    severity = models.DecimalField(max_digits=4, decimal_places=3)
    reasons = models.JSONField(default=list, help_text="Why it is unusual, most telling first.")
    suggested_action = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    decided_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-severity", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["detector", "target_kind", "target_id"],
                name="governance_anomalyalert_once",
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=0, severity__lte=1),
                name="governance_anomalyalert_severity_0_to_1",
            ),
            models.CheckConstraint(
                condition=Q(detector__in=AnomalyDetector.values),
                name="governance_anomalyalert_detector_valid",
            ),
            models.CheckConstraint(
                condition=Q(target_kind__in=AnomalyTarget.values),
                name="governance_anomalyalert_target_kind_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=AlertStatus.OPEN, decided_by__isnull=True, decided_at__isnull=True)
                    & Q(note="")
                )
                | (
                    Q(
                        status__in=[AlertStatus.DISMISSED, AlertStatus.RESOLVED],
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                    )
                    & ~Q(note="")
                ),
                name="governance_anomalyalert_decided_iff_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["chama", "status", "created_at"], name="governance_alert_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_detector_display()} {self.target_kind} {self.target_id} ({self.status})"
