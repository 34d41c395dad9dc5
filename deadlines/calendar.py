"""The working-day calendar as a pure value: fast lookups from memory, never from the
chinese-calendar package (which raises for years it does not cover).

This module imports nothing of the project. ``deadlines.snapshot`` loads a
``Calendar`` from the stored days and keeps one per process; ``deadlines.selectors``
offers the current one (``current_calendar()``, ``is_workday()``…) to the rest of the
code.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

#: A walk to the next working day that finds none within this many days means the
#: stored calendar is broken (every day marked a rest day); fail loudly, not forever.
MAX_WALK_DAYS = 3660

ONE_DAY = datetime.timedelta(days=1)


class CalendarError(RuntimeError):
    """The stored calendar has no working day where one must exist."""


@dataclass(frozen=True, slots=True)
class Calendar:
    """An immutable snapshot: stored exceptions and the years with published data.

    A date without a stored row is a working day from Monday to Friday. Stored rows
    apply whether or not their year is marked loaded (an administrator may enter a
    year's days before marking it published); ``loaded_years`` only decides whether a
    result is provisional.
    """

    token: str | None
    days: dict[datetime.date, bool]
    loaded_years: frozenset[int]

    def is_workday(self, day: datetime.date) -> bool:
        stored = self.days.get(day)
        if stored is not None:
            return stored
        return day.weekday() < 5

    def year_is_loaded(self, year: int) -> bool:
        return year in self.loaded_years

    def missing_years(self, years: Iterable[int]) -> list[int]:
        return sorted({y for y in years if y not in self.loaded_years})

    def next_workday(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after ``day``."""
        return self._walk(day, ONE_DAY)

    def previous_workday(self, day: datetime.date) -> datetime.date:
        """The last working day strictly before ``day``."""
        return self._walk(day, -ONE_DAY)

    def workday_on_or_after(self, day: datetime.date) -> datetime.date:
        return day if self.is_workday(day) else self.next_workday(day)

    def workday_after(self, day: datetime.date, n: int) -> datetime.date:
        """The ``n``-th working day after ``day`` (``day`` itself not counted); for
        ``n == 0``, ``day`` if it is a working day, else the next one."""
        if n == 0:
            return self.workday_on_or_after(day)
        for _i in range(n):
            day = self.next_workday(day)
        return day

    def _walk(self, day: datetime.date, step: datetime.timedelta) -> datetime.date:
        for _i in range(MAX_WALK_DAYS):
            day += step
            if self.is_workday(day):
                return day
        raise CalendarError(
            _("工作日历中 %(days)d 天内没有工作日，请检查日历数据。") % {"days": MAX_WALK_DAYS}
        )
