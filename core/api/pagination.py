from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.request import Request


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    default_limit = 50
    max_limit = 200
    _counted: QuerySet[Any] | None = None

    def paginate_values(
        self, queryset: QuerySet[Any], columns: Sequence[str], request: Request, view: Any = None
    ) -> list[dict[str, Any]]:
        """A page of ``queryset`` read as ``values(*columns)``, counted on ``queryset`` itself:
        counted through the columns, the count would join (or, with annotations, compute in a
        subquery) everything a page shows."""
        self._counted = queryset
        try:
            return list(self.paginate_queryset(queryset.values(*columns), request, view) or [])
        finally:
            self._counted = None

    def get_count(self, queryset: Any) -> int:
        return super().get_count(queryset if self._counted is None else self._counted)
