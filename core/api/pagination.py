import re
from collections.abc import Sequence
from typing import Any

from django.db.models import IntegerField, QuerySet, Subquery
from rest_framework import exceptions, pagination
from rest_framework.request import Request

from core.exceptions import CoreError

WHOLE_NUMBER = re.compile(r"[0-9]+")
NOT_A_LIMIT = "A whole number of at least 1 is required (a page holds at most 200)."
# The database counts rows in a signed 64-bit integer: an offset past it is no page at all.
MAX_OFFSET = 2**63 - 1
NOT_AN_OFFSET = f"A whole number from 0 to {MAX_OFFSET} is required."
# The page's rows carry the list's count under this name until they are returned.
COUNTED = "pagination_count"


class CountOf(Subquery):
    """``COUNT(*)`` of a queryset's rows as a scalar subquery of another query. It names no
    outer column, so the database runs it once per query (PostgreSQL's InitPlan), not per row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """``limit`` (default 50, at most 200: a larger one gets 200) and ``offset``. A value
    that is not a whole number in range is refused (400 ``invalid``), never read as the
    default: a client asking for ``offset=abc`` must not be handed the first page."""

    default_limit = 50
    max_limit = 200
    limit_query_description = "Number of results to return per page (at most 200)."

    def _number(
        self, request: Request, name: str, *, least: int, most: int, message: str
    ) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not WHOLE_NUMBER.fullmatch(raw) or not least <= int(raw) <= most:
            raise exceptions.ValidationError(
                {name: [exceptions.ErrorDetail(message, code=CoreError.BAD_PAGING)]}
            )
        return int(raw)

    def get_limit(self, request: Request) -> int:
        limit = self._number(
            request, self.limit_query_param, least=1, most=MAX_OFFSET, message=NOT_A_LIMIT
        )
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        offset = self._number(
            request, self.offset_query_param, least=0, most=MAX_OFFSET, message=NOT_AN_OFFSET
        )
        return offset or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        least = {self.limit_query_param: 1, self.offset_query_param: 0}
        for parameter in parameters:
            parameter["schema"]["minimum"] = least[parameter["name"]]
            parameter["schema"]["maximum"] = MAX_OFFSET
        return parameters

    def paginate_values(
        self, queryset: QuerySet[Any], columns: Sequence[str], request: Request, view: Any = None
    ) -> list[dict[str, Any]]:
        """A page of ``queryset`` read as ``values(*columns)``, with the exact count the page
        shows read in the same query: a count query of its own was a round trip, and a query
        to build, for every page. The count is made on ``queryset``'s own rows (its ids):
        counted through the columns, it would join (or, with annotations, compute in a
        subquery) everything a page shows. Only a page past the end, which has no row to carry
        the count, counts apart."""
        self.request = request
        self.limit = self.get_limit(request) or self.default_limit
        self.offset = self.get_offset(request)
        counted = CountOf(queryset.order_by().values("pk"))
        read = queryset.values(*columns).annotate(**{COUNTED: counted})
        page = list(read[self.offset : self.offset + self.limit])
        if page:
            self.count = page[0][COUNTED]
        else:
            # No row at the first offset: nothing to count. Past the end: count apart.
            self.count = self.get_count(queryset) if self.offset else 0
        for row in page:
            del row[COUNTED]
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        return page
