"""Properties of compute_due over any receipt time and any rule, across 2025–2028
(2027 and 2028 have no data), plus a check against chinese_calendar as an oracle."""

import datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deadlines.enums import DayUnit
from deadlines.models import SlaRule
from deadlines.selectors import current_calendar, is_workday
from deadlines.services import compute_due

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_LOADED_YEAR = 2026

# Each example reads the calendar's revision token: the database fixture is shared by
# the examples, which only read.
db_settings = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

received_times = st.datetimes(
    min_value=datetime.datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
    max_value=datetime.datetime(2028, 12, 31),  # noqa: DTZ001
    timezones=st.just(SHANGHAI),
)
rules = st.builds(
    SlaRule,
    unit=st.sampled_from(DayUnit.values),
    base_days=st.integers(min_value=0, max_value=40),
    close_of_business=st.times(min_value=datetime.time(15, 0), max_value=datetime.time(19, 0)),
    after_hours_next_day=st.booleans(),
)
extensions = st.integers(min_value=0, max_value=30)


@db_settings
@given(received=received_times, rule=rules, extension=extensions)
def test_due_is_at_close_of_business_on_a_working_day_and_not_before_receipt(
    db, received, rule, extension
):
    due = compute_due(received, rule, extension_days=extension)
    assert due.at.tzinfo == SHANGHAI
    assert due.at.time() == rule.close_of_business
    assert is_workday(due.at.date())
    assert due.at >= received


@db_settings
@given(first=received_times, second=received_times, rule=rules, extension=extensions)
def test_due_is_monotonic_in_the_received_time(db, first, second, rule, extension):
    early, late = sorted((first, second))
    assert (
        compute_due(early, rule, extension_days=extension).at
        <= compute_due(late, rule, extension_days=extension).at
    )


@db_settings
@given(received=received_times, rule=rules, extension=extensions)
def test_provisional_iff_a_year_without_data_was_touched(db, received, rule, extension):
    # 2004–2026 are loaded; receipt is never after the due day.
    due = compute_due(received, rule, extension_days=extension)
    assert due.provisional == (due.at.year > LAST_LOADED_YEAR)


def _oracle_due_day(received: datetime.datetime, rule: SlaRule) -> datetime.date:
    """The county counting rule written again on top of chinese_calendar."""
    day = received.date()
    if not (chinese_calendar.is_workday(day) and received.time() < rule.close_of_business):
        day += datetime.timedelta(days=1)
        while not chinese_calendar.is_workday(day):
            day += datetime.timedelta(days=1)
    if rule.base_days == 0:
        return day
    # The n-th working day after the start: the end of the shortest span after it
    # that holds n working days.
    end = day
    while len(chinese_calendar.get_workdays(day + datetime.timedelta(days=1), end)) < (
        rule.base_days
    ):
        end += datetime.timedelta(days=1)
    return end


@db_settings
@given(
    received=st.datetimes(
        min_value=datetime.datetime(2004, 1, 1),  # noqa: DTZ001
        max_value=datetime.datetime(2026, 11, 30),  # noqa: DTZ001
        timezones=st.just(SHANGHAI),
    ),
    base_days=st.integers(min_value=0, max_value=10),
)
def test_working_day_rule_agrees_with_chinese_calendar(db, received, base_days):
    rule = SlaRule(unit=DayUnit.WORKING_DAY, base_days=base_days)
    due = compute_due(received, rule)
    assume(due.at.year <= LAST_LOADED_YEAR)
    assert due.at.date() == _oracle_due_day(received, rule)
    assert not due.provisional


@pytest.mark.parametrize("year", [2027, 2028])
def test_year_without_data_counts_monday_to_friday(year):
    weekdays = [
        datetime.date(year, 1, 1) + datetime.timedelta(days=i)
        for i in range(366 if year % 4 == 0 else 365)
    ]
    calendar = current_calendar()
    assert [calendar.is_workday(d) for d in weekdays] == [d.weekday() < 5 for d in weekdays]
    assert not calendar.year_is_loaded(year)
