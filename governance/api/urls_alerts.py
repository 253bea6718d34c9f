"""Anomaly alerts' routes under chamas/{chama_id}/ (gathered by governance.api.urls)."""

from governance.api.views.anomalies import AnomalyAlertViewSet
from groups.api.urls import CHAMA

# chamas/{chama_id}/alerts/  .../{alert_id}/  .../dismiss/  .../resolve/
routes = [(f"{CHAMA}/alerts", AnomalyAlertViewSet, "alert")]
