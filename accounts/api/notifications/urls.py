from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api.notifications import views

router = SimpleRouter()
# notifications/  notifications/{id}/read/  notifications/read-all/  notifications/unread-count/
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    # notifications/preferences/ (before the router: "preferences" is not a notification id)
    path(
        "notifications/preferences/",
        views.NotificationPreferenceView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]
