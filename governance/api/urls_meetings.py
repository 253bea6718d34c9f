"""Meetings' routes (see governance/api/urls.py)."""

from governance.api.views.meetings import MeetingViewSet
from groups.api.urls import CHAMA

# chamas/{chama_id}/meetings/  .../{meeting_id}/  .../cancel/  .../attendance/
# .../attendance/check-in/  .../minutes/
routes = [(f"{CHAMA}/meetings", MeetingViewSet, "meeting")]
