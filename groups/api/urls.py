from rest_framework.routers import SimpleRouter

from groups.api import views
from groups.api.scoping import UUID_RE

CHAMA = rf"chamas/(?P<chama_id>{UUID_RE})"

router = SimpleRouter()
# chamas/  chamas/{chama_id}/
router.register("chamas", views.ChamaViewSet, basename="chama")
# chamas/{chama_id}/members/  chamas/{chama_id}/members/{member_id}/
router.register(f"{CHAMA}/members", views.MembershipViewSet, basename="chama-member")

urlpatterns = router.urls
