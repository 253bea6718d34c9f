"""Thin Celery tasks: each calls one service."""

from accounts.notifications.delivery import deliveries_send
from core.jobs import job_task


@job_task("notifications_deliver", soft_time_limit=240, time_limit=300)
def notifications_deliver_task() -> str:
    """After each notification and every 15 minutes: send the deliveries that are due (quiet
    hours over, retries whose wait has passed); re-running sends nothing twice."""
    return str(deliveries_send())
