"""The warning banner for calendar administrators while a year's schedule is missing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from deadlines.context_processors import calendar_warning

from .factories import CalendarYearFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MISSING_2027 = (
    "工作日历缺少 2027 年的法定节假日安排：涉及该年份的处理时限暂按周一至周五为工作日计算，"
    "标注为“临时”。请导入国务院办公厅公布的放假安排。"
)


def _warning(user, when: datetime.datetime, time_machine) -> str:
    time_machine.move_to(when, tick=False)
    request = RequestFactory().get("/")
    request.user = user
    return calendar_warning(request)["calendar_warning"]


@pytest.mark.parametrize("who", ["sysadmin", "regulator"])
def test_shown_to_calendar_admins_from_november(county, time_machine, who):
    when = datetime.datetime(2026, 11, 1, 0, 5, tzinfo=SHANGHAI)
    assert _warning(getattr(county, who), when, time_machine) == MISSING_2027


def test_not_shown_before_november(county, time_machine):
    when = datetime.datetime(2026, 10, 31, 23, 55, tzinfo=SHANGHAI)
    assert _warning(county.sysadmin, when, time_machine) == ""


@pytest.mark.parametrize("who", ["a_teller", "a_handler", "a_manager"])
def test_not_shown_to_users_who_cannot_change_the_calendar(county, time_machine, who):
    when = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
    assert _warning(getattr(county, who), when, time_machine) == ""


def test_not_shown_to_anonymous(db, time_machine):
    when = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
    assert _warning(AnonymousUser(), when, time_machine) == ""


def test_gone_once_the_year_is_loaded(county, time_machine):
    CalendarYearFactory(year=2027, loaded=True)
    when = datetime.datetime(2026, 12, 15, 10, 0, tzinfo=SHANGHAI)
    assert _warning(county.sysadmin, when, time_machine) == ""


def test_current_year_missing_is_shown_all_year(county, time_machine):
    when = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=SHANGHAI)
    assert _warning(county.sysadmin, when, time_machine) == MISSING_2027


def test_both_years_listed(county, time_machine):
    when = datetime.datetime(2027, 11, 2, 10, 0, tzinfo=SHANGHAI)
    assert _warning(county.sysadmin, when, time_machine).startswith(
        "工作日历缺少 2027、2028 年的法定节假日安排"
    )


def test_snippet_renders_a_banner_with_the_import_link(db):
    html = render_to_string("deadlines/_calendar_banner.html", {"calendar_warning": MISSING_2027})
    assert html.startswith('<div class="banner" role="alert">' + MISSING_2027)
    assert 'href="/admin/deadlines/calendarday/import/"' in html
    assert (
        render_to_string("deadlines/_calendar_banner.html", {"calendar_warning": ""}).strip() == ""
    )
