"""Reads: the working-day calendar as stored now, and which deadline rule applies to
a complaint. Both come from the per-process snapshot (``deadlines.snapshot``): one
primary-key query to check it is current."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .calendar import Calendar
from .snapshot import current

if TYPE_CHECKING:
    from institutions.models import Institution

    from .models import SlaRule


def rule_for(*, complexity: str, intake_source: str, institution: Institution | None) -> SlaRule:
    """The deadline rule for a complaint of ``complexity`` that came in through
    ``intake_source`` and is handled by ``institution``.

    The intake source's rule set wins (a regulator transfer carries the regulator's
    deadline), then the set bound to the nearest institution up the tree, then the
    default set. A bound set without a rule for this complexity is skipped with a
    warning in the log rather than leaving the complaint without a deadline. Raises
    ``SlaRule.DoesNotExist`` only when not even the default set has one.

    Read from the in-memory rule book (``deadlines.rulebook``): one query to check
    that it is current.
    """
    return current().rules.rule_for(
        complexity=complexity, intake_source=intake_source, institution=institution
    )


def current_calendar() -> Calendar:
    """The calendar as stored now: one query when nothing changed.

    Callers that make many lookups in a loop (a sweep) should take the calendar once
    and use its methods rather than call ``is_workday`` for every date.
    """
    return current().calendar


def is_workday(day: datetime.date) -> bool:
    """Whether ``day`` is a working day by the stored calendar (Monday–Friday for a
    date without a stored row, whatever its year)."""
    return current_calendar().is_workday(day)


def year_is_loaded(year: int) -> bool:
    """Whether the State Council's schedule for ``year`` is in the calendar."""
    return current_calendar().year_is_loaded(year)


def missing_years(years: Iterable[int]) -> list[int]:
    """The years among ``years`` whose schedule is not loaded, sorted."""
    return current_calendar().missing_years(years)
