"""Reading the token of a one-row revision table (``CalendarRevision``,
``ReferenceRevision``): per-process data (the calendar, the option lists) is used
only while the token it was built under is the stored one.

The token is read on most requests, so it is read with one line of SQL: the ORM
took three times as long to build and compile the same primary-key lookup
(docs/performance.md, item 17).
"""

from __future__ import annotations

from django.db import connections, router


def read_token(model) -> str | None:
    """``model``'s token in row 1, or None when there is no row yet."""
    connection = connections[router.db_for_read(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM " + table + " WHERE id = 1")  # noqa: S608  # nosec B608 - the model's own table
        row = cursor.fetchone()
    return row[0] if row else None
