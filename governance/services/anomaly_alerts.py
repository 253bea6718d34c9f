"""An official decides an anomaly alert: dismissed (nothing wrong: a known supplier, a
member's bonus) or resolved (something was wrong and was put right), always with a note.
The auditor reads alerts and writes nothing."""

from django.db import transaction
from django.utils import timezone

from core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from governance.exceptions import AnomalyError
from governance.locks import anomaly_alert_lock
from governance.models import AlertStatus, AnomalyAlert
from groups.models import Membership

NOTE_MAX = 500


def _decide(*, alert: AnomalyAlert, acting: Membership, note: str, status: str) -> AnomalyAlert:
    if not acting.is_official or acting.chama_id != alert.chama_id:
        raise PermissionDeniedError(AnomalyError.OFFICIALS_ONLY)
    note = note.strip()
    if not note or len(note) > NOTE_MAX:
        raise ValidationFailed(AnomalyError.NOTE_REQUIRED, limit=NOTE_MAX, field="note")
    alert = anomaly_alert_lock(alert.pk)
    if alert.status != AlertStatus.OPEN:
        raise ConflictError(AnomalyError.NOT_OPEN, status=alert.get_status_display().lower())
    alert.status, alert.note = status, note
    alert.decided_by, alert.decided_at = acting, timezone.now()
    alert.save(update_fields=["status", "note", "decided_by", "decided_at", "updated_at"])
    return alert


@transaction.atomic
def alert_dismiss(*, alert: AnomalyAlert, acting: Membership, note: str) -> AnomalyAlert:
    """An official dismisses an open alert: nothing wrong, and why."""
    return _decide(alert=alert, acting=acting, note=note, status=AlertStatus.DISMISSED)


@transaction.atomic
def alert_resolve(*, alert: AnomalyAlert, acting: Membership, note: str) -> AnomalyAlert:
    """An official resolves an open alert: what was wrong and what was done."""
    return _decide(alert=alert, acting=acting, note=note, status=AlertStatus.RESOLVED)
