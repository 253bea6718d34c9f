from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from core.api.docs import RedocView, SwaggerView
from core.api.health import HealthView

admin.site.site_header = "Hazina back office"
admin.site.site_title = "Hazina"
admin.site.index_title = "Chama books"

api_v1 = [
    path("auth/", include("accounts.api.urls")),
    path("", include("accounts.api.notifications.urls")),
    path("", include("groups.api.urls")),
    path("", include("finance.api.urls")),
    path("", include("governance.api.urls")),
    path("", include("investments.api.urls")),
    path("", include("mpesa.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("hooks/daraja/", include("mpesa.urls")),
    path("api/health/", HealthView.as_view(), name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
]

handler400 = "core.api.errors.bad_request"
handler404 = "core.api.errors.not_found"
handler500 = "core.api.errors.server_error"
