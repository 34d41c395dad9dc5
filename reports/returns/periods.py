"""The month or quarter a return covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

MONTHLY, QUARTERLY = "monthly", "quarterly"


@dataclass(frozen=True)
class Period:
    frequency: str
    year: int
    #: The month (1–12) or the quarter (1–4).
    number: int

    def __post_init__(self) -> None:
        top = 12 if self.frequency == MONTHLY else 4
        if self.frequency not in (MONTHLY, QUARTERLY) or not 1 <= self.number <= top:
            raise ValueError(f"bad period {self.frequency} {self.number}")
        if not 2000 <= self.year <= 9998:
            raise ValueError(f"bad year {self.year}")

    @property
    def start(self) -> date:
        month = self.number if self.frequency == MONTHLY else 3 * self.number - 2
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        months = 1 if self.frequency == MONTHLY else 3
        month = self.start.month + months
        year = self.year + (month > 12)
        return date(year, (month - 1) % 12 + 1, 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        """2026-07 or 2026Q3: the value of the period column and part of the file name."""
        if self.frequency == MONTHLY:
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}Q{self.number}"


def last_finished(frequency: str, today: date | None = None) -> Period:
    """The last month or quarter that has ended: the one an office files now."""
    today = today or timezone.localdate()
    if frequency == MONTHLY:
        first = today.replace(day=1) - timedelta(days=1)
        return Period(MONTHLY, first.year, first.month)
    quarter = (today.month - 1) // 3
    if quarter:
        return Period(QUARTERLY, today.year, quarter)
    return Period(QUARTERLY, today.year - 1, 4)
