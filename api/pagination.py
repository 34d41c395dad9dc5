"""Page numbers for the complaint list with a bounded count.

DRF's page-number pagination counts every row the caller may see: for a supervising
office that is a ``COUNT(*)`` over most of a million complaints on every page
(110 ms of a 160 ms response at a million rows, docs/performance.md). The browser
list has counted at most 1,000 rows since round 1; the API now does the same through
the same ``BoundedPaginator``: ``count`` is exact up to ``count_limit`` and ``null``
beyond it ("more than count_limit"), ``next`` still says whether another page
exists, and any page number can be asked for (past the last row: 404).
"""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from complaints.selectors import BoundedPaginator


class BoundedPageNumberPagination(PageNumberPagination):
    #: Set by the view before ``paginate_queryset`` (``count_in_list_order``).
    count_in_order = False

    def django_paginator_class(self, queryset, page_size):
        return BoundedPaginator(queryset, page_size, count_in_order=self.count_in_order)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": None if paginator.bounded else paginator.count,
                "count_limit": paginator.count_limit,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        props = response["properties"]
        props["count"] = {
            "type": "integer",
            "nullable": True,
            "example": 123,
            "description": "Exact up to count_limit; null means more than count_limit.",
        }
        props["count_limit"] = {"type": "integer", "example": 1000}
        response["required"] = ["count", "count_limit", "results"]
        return response
