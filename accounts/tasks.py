"""Thin Celery tasks: each calls one service."""

from celery import shared_task

from accounts.notifications.delivery import deliveries_send
from core.jobs import job


@shared_task(soft_time_limit=240, time_limit=300)  # type: ignore[untyped-decorator]
@job("notifications_deliver")
def notifications_deliver_task() -> str:
    """After each notification and every 15 minutes: send the deliveries that are due (quiet
    hours over, retries whose wait has passed); re-running sends nothing twice."""
    return str(deliveries_send())
