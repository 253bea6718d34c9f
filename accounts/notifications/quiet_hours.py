"""Quiet hours: no SMS between 21:00 and 07:00 in Nairobi unless the notification is urgent."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

NAIROBI = ZoneInfo("Africa/Nairobi")
QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(7, 0)


def quiet_hours_end(at: datetime | None = None) -> datetime | None:
    """When the quiet hours around ``at`` end (07:00 Nairobi), or None outside them."""
    local = timezone.localtime(at or timezone.now(), NAIROBI)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    day = local.date() + timedelta(days=1) if local.time() >= QUIET_FROM else local.date()
    return datetime.combine(day, QUIET_UNTIL, tzinfo=NAIROBI)
