"""Telling the chair and the treasurer of new anomaly alerts (event ``anomaly_alert``, officials
only; its English and Kiswahili texts live in accounts.notifications' catalogue), after the
detection's commit: one notification per chama and night, naming the gravest alert and how
many more there are, keyed so a re-run tells nobody twice."""

from collections import defaultdict
from uuid import UUID

from accounts.notifications import notify
from governance.models import AnomalyAlert
from groups.choices import MembershipStatus, Role
from groups.models import Membership

EVENT = "anomaly_alert"
RECIPIENT_ROLES = (Role.CHAIR, Role.TREASURER)


def _summary(alerts: list[AnomalyAlert]) -> str:
    gravest = alerts[0]
    what = f"{gravest.get_detector_display()}: {gravest.reasons[0] if gravest.reasons else ''}"
    more = len(alerts) - 1
    return what if not more else f"{what} (and {more} more alert(s) in the app)"


def anomaly_alerts_notify(*, alert_ids: list[UUID]) -> int:
    """Notify the chair and the treasurer of each chama with new alerts; returns how many
    notifications were made. Two reads (the alerts with their chama and run, the recipients)
    and one ``notify`` per chama with alerts."""
    by_chama: dict[UUID, list[AnomalyAlert]] = defaultdict(list)
    for alert in (
        AnomalyAlert.objects.filter(pk__in=alert_ids)
        .select_related("chama", "run")
        .order_by("chama_id", "-severity", "created_at", "id")
    ):
        by_chama[alert.chama_id].append(alert)
    recipients: dict[UUID, list[UUID]] = defaultdict(list)
    for chama_id, user_id in Membership.objects.filter(
        chama_id__in=by_chama, role__in=RECIPIENT_ROLES, status=MembershipStatus.ACTIVE
    ).values_list("chama_id", "user_id"):
        recipients[chama_id].append(user_id)
    made = 0
    for chama_id, alerts in by_chama.items():
        gravest = alerts[0]
        made += notify(
            event=EVENT,
            users=recipients[chama_id],
            context={
                "chama": gravest.chama.name,
                "summary": _summary(alerts),
                "action": gravest.suggested_action,
            },
            key=f"{EVENT}:{chama_id}:{gravest.run.day.isoformat()}",
            chama_id=chama_id,
        )
    return made
