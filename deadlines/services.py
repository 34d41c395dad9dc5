"""Due times: the one place that turns (received time, rule) into a deadline.

Every caller (complaint registration, extensions, the sweep, the ``duetime``
command) goes through ``compute_due``; nothing else counts days. The functions read
the stored calendar through ``deadlines.selectors`` and never call the chinese-calendar
package, which raises for years it does not cover.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from .calendar import Calendar
from .enums import DayUnit
from .selectors import current_calendar, is_workday, missing_years, rule_for, year_is_loaded
from .snapshot import Snapshot
from .snapshot import current as snapshot

# The public face of the app for other apps: ``from deadlines import services``.
__all__ = [
    "Due",
    "Snapshot",
    "add_working_days",
    "calendar_days_due",
    "compute_due",
    "is_workday",
    "missing_years",
    "rule_for",
    "snapshot",
    "working_days_between",
    "working_hours_before",
    "year_is_loaded",
]

if TYPE_CHECKING:
    from .models import SlaRule


@dataclass(frozen=True, slots=True)
class Due:
    """A computed due time.

    ``at`` is aware, in Asia/Shanghai (the project's TIME_ZONE), at the rule's close of
    business. ``provisional`` is true when a year between the day of receipt and the
    due day has no published schedule in the calendar: Monday–Friday were taken as
    working days there, and the time may move once that year is loaded.
    """

    at: datetime.datetime
    provisional: bool


def _local(moment: datetime.datetime, what: str) -> datetime.datetime:
    if timezone.is_naive(moment):
        raise ValueError(f"{what} must be an aware datetime, got {moment!r}")
    return moment.astimezone(timezone.get_default_timezone())


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def _due_day(cal: Calendar, received: datetime.datetime, rule: SlaRule, n: int) -> datetime.date:
    received_day = received.date()
    in_hours = cal.is_workday(received_day) and received.time() < rule.close_of_business
    if rule.after_hours_next_day:
        # Received after close of business or on a rest day: as if received at the
        # start of the next working day, which is then the day of receipt.
        start = received_day if in_hours else cal.next_workday(received_day)
        if rule.unit == DayUnit.WORKING_DAY:
            return cal.workday_after(start, n)
        return cal.workday_on_or_after(start + datetime.timedelta(days=n))
    # The calendar date of receipt is the day of receipt, whatever the hour.
    if n == 0:
        return received_day if in_hours else cal.next_workday(received_day)
    if rule.unit == DayUnit.WORKING_DAY:
        return cal.workday_after(received_day, n)
    return cal.workday_on_or_after(received_day + datetime.timedelta(days=n))


def compute_due(
    received_at: datetime.datetime,
    rule: SlaRule,
    *,
    extension_days: int = 0,
    calendar: Calendar | None = None,
) -> Due:
    """When a complaint received at ``received_at`` is due under ``rule``.

    How a period is counted (as Chinese law counts periods in days, 民法典 第二百零一条
    to 第二百零三条: the day the period starts is not counted; a period ending on a
    rest day ends on the next working day; with business hours, the period ends when
    business stops):

    * Working days. Received on a working day before close of business: due at close
      of business the same day when the rule has 0 days, else at close of business of
      the N-th following working day (Monday 10:00 + 3 → Thursday 17:00). Received at
      or after close of business, or on a rest day: treated as received at the start
      of the next working day (Friday 18:00, 0 days → Monday 17:00; 3 days →
      Thursday 17:00). Make-up working weekends (调休上班) count as working days.
    * Calendar days. The receipt day is shifted the same way, then the due day is N
      calendar days later at close of business; if that day is a rest day, the next
      working day. Why roll forward: 民法典 第二百零三条 moves the end of a period that
      falls on a statutory rest day to the day after it, and nobody can answer for a
      bank on a day it is closed.
    * ``rule.after_hours_next_day = False``: the calendar date of receipt is the day of
      receipt even after hours or on a rest day (Saturday + 3 working days →
      Wednesday); a 0-day rule still cannot fall before receipt, so it is due at close
      of business of the next working day.
    * ``extension_days`` adds to the rule's days in the same unit, counted from the
      receipt (an approved extension of a 15-day rule by 15 days gives 30 days).

    The result is never before ``received_at`` and always at close of business on a
    working day. It is provisional when any year from receipt to the due day has no
    loaded schedule; those years count Monday–Friday, so this never fails for a year
    the package does not know.

    ``calendar`` is a snapshot the caller already holds (``deadlines.snapshot``);
    without one the current calendar is read.
    """
    if extension_days < 0:
        raise ValueError("extension_days must not be negative")
    received = _local(received_at, "received_at")
    cal = calendar or current_calendar()
    due_day = _due_day(cal, received, rule, rule.base_days + extension_days)
    touched = range(received.year, due_day.year + 1)
    return Due(
        at=_at(due_day, rule.close_of_business),
        provisional=bool(cal.missing_years(touched)),
    )


def add_working_days(
    at: datetime.datetime, n: int, rule: SlaRule, *, calendar: Calendar | None = None
) -> datetime.datetime:
    """Close of business of the ``n``-th working day after the date of ``at`` (that
    date not counted), e.g. "still open one working day after the due time" is
    ``add_working_days(due_at, 1, rule)``. For ``n == 0``: close of business of that
    date if it is a working day and ``at`` is not after it, else of the next working
    day. Provisional years count Monday–Friday, as in ``compute_due``."""
    if n < 0:
        raise ValueError("n must not be negative")
    local = _local(at, "at")
    cal = calendar or current_calendar()
    day = local.date()
    if n == 0:
        if not (cal.is_workday(day) and local.time() <= rule.close_of_business):
            day = cal.next_workday(day)
    else:
        day = cal.workday_after(day, n)
    return _at(day, rule.close_of_business)


def working_hours_before(
    due_at: datetime.datetime, hours: float, rule: SlaRule, *, calendar: Calendar | None = None
) -> datetime.datetime:
    """The moment ``hours`` working hours before ``due_at``, for "due soon" reminders
    (2 hours before a 17:00 due time is 15:00 the same day).

    Working hours run from ``rule.start_of_business`` to ``rule.close_of_business`` on
    working days; time outside them does not count, so the walk continues back from
    the previous working day's close of business when it passes the start of a day.
    A ``due_at`` outside working hours is first moved back to the last working moment.
    """
    if hours < 0:
        raise ValueError("hours must not be negative")
    remaining = datetime.timedelta(hours=hours)
    cal = calendar or current_calendar()
    cursor = _local(due_at, "due_at")
    day = cursor.date()
    if not cal.is_workday(day) or cursor.time() < rule.start_of_business:
        day = cal.previous_workday(day)
        cursor = _at(day, rule.close_of_business)
    elif cursor.time() > rule.close_of_business:
        cursor = _at(day, rule.close_of_business)
    while True:
        available = cursor - _at(day, rule.start_of_business)
        if remaining <= available:
            return cursor - remaining
        remaining -= available
        day = cal.previous_workday(day)
        cursor = _at(day, rule.close_of_business)


def calendar_days_due(
    start_at: datetime.datetime,
    days: int,
    close_of_business: datetime.time,
    *,
    unit: str = DayUnit.CALENDAR_DAY,
    calendar: Calendar | None = None,
) -> Due:
    """The end of a period of ``days`` calendar days that starts at ``start_at``, as
    the statutory limits count it (民法典 第二百零一条: the day the period starts is
    not counted, whatever the hour; 第二百零三条: a last day that is a statutory rest
    day moves to the first working day after it — make-up working weekends count as
    working days; the period ends when business stops, ``close_of_business``).

    15 days from Tuesday 2026-09-22 end on 2026-10-07, inside the National Day
    holiday, so the due day is Thursday 2026-10-08. Provisional, as in
    ``compute_due``, when a year touched has no published schedule. A pack counted in
    working days (``unit``) ends on the ``days``-th working day after the start day."""
    if days < 0:
        raise ValueError("days must not be negative")
    start = _local(start_at, "start_at")
    cal = calendar or current_calendar()
    if unit == DayUnit.WORKING_DAY:
        due_day = cal.workday_after(start.date(), days)
    else:
        due_day = cal.workday_on_or_after(start.date() + datetime.timedelta(days=days))
    touched = range(start.year, due_day.year + 1)
    return Due(at=_at(due_day, close_of_business), provisional=bool(cal.missing_years(touched)))


def working_days_between(
    start: datetime.date, end: datetime.date, *, calendar: Calendar | None = None
) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (0 when
    ``end`` is not after ``start``): how far a working-day due time moves for a pause
    from ``start`` to ``end`` (paused and resumed the same day: 0)."""
    cal = calendar or current_calendar()
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += cal.is_workday(day)
    return count
