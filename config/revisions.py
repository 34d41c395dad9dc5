"""Reading the token of a one-row revision table (``CalendarRevision``,
``ReferenceRevision``): data built from reference tables (the deadline calendar kept
per process, a cached page fragment of options) is used only while the token it was
built under is the stored one."""

from __future__ import annotations


def read_token(model) -> str | None:
    """``model``'s token in row 1, or None when there is no row yet."""
    return model.objects.filter(pk=1).values_list("token", flat=True).first()
