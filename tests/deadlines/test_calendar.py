"""The stored calendar: seeding from chinese-calendar, lookups and their cache."""

import datetime

import chinese_calendar
import pytest
from django.core.management import call_command

from deadlines import calendar
from deadlines.calendar import CalendarError
from deadlines.enums import CalendarSource
from deadlines.models import CalendarDay, CalendarRevision, CalendarYear
from deadlines.reference import seed_calendar
from deadlines.selectors import current_calendar, is_workday, missing_years, year_is_loaded
from deadlines.services import compute_due
from deadlines.snapshot import changed as calendar_changed

from .conftest import at
from .factories import CalendarDayFactory, CalendarYearFactory

D = datetime.date


def test_seed_stores_every_special_day_of_the_package():
    stored = dict(CalendarDay.objects.values_list("date", "is_workday"))
    expected = dict.fromkeys(chinese_calendar.holidays, False) | dict.fromkeys(
        chinese_calendar.workdays, True
    )
    assert stored == expected
    assert len(stored) == 771
    assert list(
        CalendarYear.objects.filter(loaded=True).order_by("year").values_list("year", flat=True)
    ) == list(range(2004, 2027))


def test_seed_agrees_with_the_package_on_every_day_it_covers():
    cal = current_calendar()
    day, mismatches = D(2004, 1, 1), []
    while day <= D(2026, 12, 31):
        if cal.is_workday(day) != chinese_calendar.is_workday(day):
            mismatches.append(day)
        day += datetime.timedelta(days=1)
    assert mismatches == []


def test_seed_names_holidays_in_chinese():
    names = dict(
        CalendarDay.objects.filter(date__year=2026).values_list("date", "name").order_by("date")
    )
    assert names[D(2026, 10, 1)] == "国庆节"
    assert names[D(2026, 10, 3)] == "国庆节"  # a Saturday inside the holiday
    assert names[D(2026, 10, 10)] == "调休上班"
    assert names[D(2026, 2, 15)] == "春节"
    assert names[D(2026, 9, 25)] == "中秋节"
    assert names[D(2026, 4, 5)] == "清明节"


def test_seed_twice_changes_nothing():
    token = CalendarRevision.objects.get(pk=1).token
    result = seed_calendar()
    assert (result.created, result.updated, result.deleted, result.years_marked) == (0, 0, 0, [])
    assert CalendarRevision.objects.get(pk=1).token == token


def test_seed_fills_an_empty_calendar_and_marks_the_years():
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    result = seed_calendar()
    assert (result.created, result.first_year, result.last_year) == (771, 2004, 2026)
    assert result.years_marked == list(range(2004, 2027))
    assert year_is_loaded(2026)


def test_seed_leaves_rows_an_administrator_changed():
    CalendarDay.objects.filter(date=D(2026, 10, 10)).update(
        is_workday=False, name="本县特别安排", source=CalendarSource.MANUAL
    )
    CalendarYear.objects.filter(year=2026).update(loaded=False, source=CalendarSource.MANUAL)
    seed_calendar()
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert (day.is_workday, day.name) == (False, "本县特别安排")
    assert not CalendarYear.objects.get(year=2026).loaded


def test_seed_corrects_package_rows_the_package_now_disagrees_with():
    CalendarDay.objects.filter(date=D(2026, 10, 10)).update(is_workday=False)
    CalendarDayFactory(date=D(2026, 3, 10), source=CalendarSource.PACKAGE)
    result = seed_calendar()
    assert (result.updated, result.deleted) == (1, 1)
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).is_workday
    assert not CalendarDay.objects.filter(date=D(2026, 3, 10)).exists()


def test_seed_calendar_command_reports_counts():
    CalendarDay.objects.filter(date__year=2026).delete()
    out = _call("seed_calendar")
    assert out == "工作日历 2004–2026：新增 39 天，更正 0 天，删除 0 天；标记已载入的年份 0 个。\n"


def _call(*args) -> str:
    import io

    buf = io.StringIO()
    call_command(*args, stdout=buf)
    return buf.getvalue()


def test_day_without_a_row_follows_the_week():
    assert is_workday(D(2026, 3, 9))  # Monday
    assert not is_workday(D(2026, 3, 7))  # Saturday
    assert is_workday(D(2027, 1, 1))  # no data: a Friday is a working day
    assert not is_workday(D(2027, 1, 2))


def test_stored_rows_apply_in_a_year_not_marked_loaded():
    CalendarDayFactory(date=D(2027, 1, 1), is_workday=False, name="元旦")
    assert not is_workday(D(2027, 1, 1))
    assert not year_is_loaded(2027)
    due = compute_due(at("2026-12-31 18:00"), _simple())
    assert (due.at.isoformat(), due.provisional) == ("2027-01-04T17:00:00+08:00", True)


def _simple():
    from deadlines.models import SlaRule

    return SlaRule(base_days=0)


def test_loading_a_year_ends_provisional_results():
    assert compute_due(at("2027-03-01 10:00"), _simple()).provisional
    CalendarYearFactory(year=2027, loaded=True)
    assert not compute_due(at("2027-03-01 10:00"), _simple()).provisional
    assert missing_years([2026, 2027, 2028]) == [2028]


def test_edit_through_the_orm_is_seen_at_once():
    assert is_workday(D(2026, 3, 10))
    day = CalendarDayFactory(date=D(2026, 3, 10), is_workday=False)
    assert not is_workday(D(2026, 3, 10))
    day.delete()
    assert is_workday(D(2026, 3, 10))


def test_change_by_another_process_is_seen_through_the_revision_token():
    current_calendar()  # cached here
    # Another process writes without our signals firing here, then bumps the token.
    CalendarDay.objects.bulk_create([CalendarDay(date=D(2026, 3, 10), is_workday=False)])
    assert is_workday(D(2026, 3, 10))  # stale until the token changes: documented
    CalendarRevision.objects.filter(pk=1).update(token="from-another-process")
    assert not is_workday(D(2026, 3, 10))


def test_unchanged_calendar_costs_one_query(django_assert_num_queries):
    current_calendar()
    with django_assert_num_queries(1):
        is_workday(D(2026, 10, 1))
    with django_assert_num_queries(1):
        compute_due(at("2026-09-30 16:30"), _simple())


def test_calendar_changed_forces_a_reload(django_assert_num_queries):
    current_calendar()
    calendar_changed()
    # The token, the days, the years; the rule bindings, sets and rules.
    with django_assert_num_queries(6):
        current_calendar()
    with django_assert_num_queries(1):
        current_calendar()


def test_calendar_with_no_working_day_fails_loudly():
    broken = calendar.Calendar(token="x", days={}, loaded_years=frozenset())
    everything_off = calendar.Calendar(
        token="x",
        days={
            D(2026, 1, 1) + datetime.timedelta(days=i): False
            for i in range(calendar.MAX_WALK_DAYS + 10)
        },
        loaded_years=frozenset(),
    )
    assert broken.next_workday(D(2026, 1, 2)) == D(2026, 1, 5)
    with pytest.raises(CalendarError):
        everything_off.next_workday(D(2026, 1, 1))


def test_weekday_name_and_str():
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert day.weekday_name == "周六"
    assert str(day) == "2026-10-10 调休上班（工作日）"
