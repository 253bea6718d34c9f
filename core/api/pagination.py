import re
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions, pagination
from rest_framework.request import Request

WHOLE_NUMBER = re.compile(r"[0-9]+")
NOT_A_LIMIT = "A whole number of at least 1 is required."
NOT_AN_OFFSET = "A whole number of at least 0 is required."


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """``limit`` (default 50, at most 200: a larger one gets 200) and ``offset``. A value
    that is not a whole number in range is refused (400 ``invalid``), never read as the
    default: a client asking for ``offset=abc`` must not be handed the first page."""

    default_limit = 50
    max_limit = 200
    limit_query_description = "Number of results to return per page (at most 200)."
    _counted: QuerySet[Any] | None = None

    def _number(self, request: Request, name: str, *, least: int, message: str) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not WHOLE_NUMBER.fullmatch(raw) or int(raw) < least:
            raise exceptions.ValidationError(
                {name: [exceptions.ErrorDetail(message, code="invalid")]}
            )
        return int(raw)

    def get_limit(self, request: Request) -> int:
        limit = self._number(request, self.limit_query_param, least=1, message=NOT_A_LIMIT)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        offset = self._number(request, self.offset_query_param, least=0, message=NOT_AN_OFFSET)
        return offset or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        least = {self.limit_query_param: 1, self.offset_query_param: 0}
        for parameter in parameters:
            parameter["schema"]["minimum"] = least[parameter["name"]]
        return parameters

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
