"""Anomaly alerts as the API reads and decides them."""

from rest_framework import serializers

from core.api.serializers import InputSerializer
from governance.api.serializers.meetings import MemberRefOutputSerializer
from governance.models import AlertStatus, AnomalyAlert, AnomalyDetector, AnomalyTarget
from governance.services.anomaly_alerts import NOTE_MAX


class AlertTargetOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(source="target_kind", choices=AnomalyTarget.choices)
    id = serializers.UUIDField(source="target_id")


class AnomalyAlertOutputSerializer(serializers.ModelSerializer):
    """An alert: what raised it, what it points at, how unusual and why, what to do, and its
    decision once an official took one."""

    detector = serializers.ChoiceField(choices=AnomalyDetector.choices)
    target = AlertTargetOutputSerializer(source="*", help_text="The object it points at.")
    severity = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        read_only=True,
        help_text="0-1: the isolation score for the model's alerts, the rule's weight for rules.",
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why it is unusual, most telling first."
    )
    status = serializers.ChoiceField(choices=AlertStatus.choices)
    day = serializers.DateField(source="run.day", help_text="The night it was raised.")
    decided_by = MemberRefOutputSerializer(allow_null=True)

    class Meta:
        model = AnomalyAlert
        fields = [
            "id",
            "detector",
            "target",
            "severity",
            "reasons",
            "suggested_action",
            "status",
            "day",
            "decided_by",
            "decided_at",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class AlertDecideInputSerializer(InputSerializer):
    note = serializers.CharField(
        max_length=NOTE_MAX, help_text="What was found (dismiss) or what was done (resolve)."
    )
