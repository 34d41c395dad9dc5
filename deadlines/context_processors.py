"""The warning banner shown to calendar administrators while a year's holiday
schedule is missing (deadlines in that year are provisional)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import missing_years

#: From this month on, next year's schedule is expected (the State Council publishes
#: it around November) and its absence is warned about.
NEXT_YEAR_WARNING_MONTH = 11


def years_to_check(today: datetime.date) -> list[int]:
    if today.month >= NEXT_YEAR_WARNING_MONTH:
        return [today.year, today.year + 1]
    return [today.year]


def calendar_warning_message(today: datetime.date) -> str:
    """The banner text, or "" when the current year (and, from November, the next)
    is loaded."""
    missing = missing_years(years_to_check(today))
    if not missing:
        return ""
    return _(
        "工作日历缺少 %(years)s 年的法定节假日安排：涉及该年份的处理时限暂按周一至周五"
        "为工作日计算，标注为“临时”。请导入国务院办公厅公布的放假安排。"
    ) % {"years": "、".join(str(y) for y in missing)}


def calendar_warning(request: HttpRequest) -> dict[str, str]:
    """``calendar_warning`` for templates: the message for users who may change the
    calendar, "" for everyone else (they cannot act on it)."""
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("deadlines.change_calendarday"):
        return {"calendar_warning": ""}
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    return {"calendar_warning": calendar_warning_message(today)}
