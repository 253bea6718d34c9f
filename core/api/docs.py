"""The API's documentation pages. They render HTML templates for GET; OPTIONS, which has no
template, answers in JSON like every other route."""

from typing import Any

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.renderers import JSONRenderer


class _JSONOptions:
    def get_renderers(self) -> list[Any]:
        if self.request.method == "OPTIONS":  # type: ignore[attr-defined]
            return [JSONRenderer()]
        return super().get_renderers()  # type: ignore[misc, no-any-return]


class SwaggerView(_JSONOptions, SpectacularSwaggerView):
    pass


class RedocView(_JSONOptions, SpectacularRedocView):
    pass
