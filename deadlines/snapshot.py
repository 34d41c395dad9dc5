"""The deadline reference data, the working-day calendar and the deadline rules, as
one immutable in-memory snapshot per process.

Before the snapshot is used, the token of ``CalendarRevision`` is read (one
primary-key lookup) and everything is reloaded when it differs, so an
administrator's edit in the web process is seen at once by the Celery worker too.
``changed()`` replaces the token: the post_save/post_delete signals of the calendar
and rule models call it (``deadlines.signals``), and so must any bulk write
(``bulk_create``, ``QuerySet.update``) that bypasses the signals. A random token (not
a counter) stays correct when a transaction that changed the data is rolled back.

A caller that needs both the calendar and a rule (registering a complaint) takes one
snapshot with ``current()`` and reads both from it: one query, not one per lookup.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from config.revisions import read_token

from .calendar import Calendar
from .rulebook import RuleBook, load_rulebook


@dataclass(frozen=True, slots=True)
class Snapshot:
    token: str | None
    calendar: Calendar
    rules: RuleBook


_snapshot: Snapshot | None = None


def load_calendar(token: str | None) -> Calendar:
    from .models import CalendarDay, CalendarYear

    return Calendar(
        token=token,
        days=dict(CalendarDay.objects.values_list("date", "is_workday")),
        loaded_years=frozenset(
            CalendarYear.objects.filter(loaded=True).values_list("year", flat=True)
        ),
    )


def _current_token() -> str | None:
    from .models import CalendarRevision

    return read_token(CalendarRevision)


def current() -> Snapshot:
    """The reference data as stored now: one query when nothing changed."""
    global _snapshot  # a per-process cache, replaced atomically
    token = _current_token()
    snapshot = _snapshot
    if snapshot is None or snapshot.token != token or token is None:
        # No token yet (an empty or freshly flushed database) is never cached: the
        # first write after it creates one.
        snapshot = Snapshot(token=token, calendar=load_calendar(token), rules=load_rulebook())
        _snapshot = snapshot
    return snapshot


def changed() -> None:
    """Record that the calendar or the rules changed: every process reloads on next
    use."""
    global _snapshot
    from .models import CalendarRevision

    CalendarRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    _snapshot = None
