from collections.abc import Sequence
from typing import Any

from django.db.models import IntegerField, QuerySet, Subquery
from rest_framework import pagination
from rest_framework.request import Request

# The page's rows carry the list's count under this name until they are returned.
COUNTED = "pagination_count"


class CountOf(Subquery):
    """``COUNT(*)`` of a queryset's rows as a scalar subquery of another query. It names no
    outer column, so the database runs it once per query (PostgreSQL's InitPlan), not per row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    default_limit = 50
    max_limit = 200

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
