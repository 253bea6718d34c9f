"""Telling the chair and the treasurer of new anomaly alerts (event ``anomaly_alert``,
officials only), after the detection's commit."""

import logging
from uuid import UUID

logger = logging.getLogger(__name__)


def anomaly_alerts_notify(*, alert_ids: list[UUID]) -> None:
    """Notify the chair and the treasurer of each chama of its new alerts.

    The notifications core (accounts.notifications) is not in this tree yet: until it is,
    the alerts are only logged; its ``notify(event="anomaly_alert", ...)`` call goes here."""
    logger.info("anomaly alerts raised: %d", len(alert_ids))
