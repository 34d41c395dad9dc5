"""Due times on real dates of 2026 (and into 2027, which has no published schedule).

The holiday facts these expectations rest on are checked against chinese_calendar
itself first, so a wrong assumption about the calendar fails there, not in a table row.
"""

import datetime

import chinese_calendar
import pytest

from deadlines.enums import DayUnit
from deadlines.models import SlaRule
from deadlines.services import add_working_days, compute_due, working_hours_before

from .conftest import at

D = datetime.date


def test_2026_holidays_are_what_the_table_assumes():
    spring = [D(2026, 2, d) for d in range(15, 24)]
    national = [D(2026, 10, d) for d in range(1, 8)]
    mid_autumn = [D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27)]
    for day in spring:
        assert chinese_calendar.get_holiday_detail(day) == (True, "Spring Festival")
    for day in national:
        assert chinese_calendar.get_holiday_detail(day) == (True, "National Day")
    for day in mid_autumn:
        assert chinese_calendar.get_holiday_detail(day) == (True, "Mid-autumn Festival")
    makeup = sorted(d for d in chinese_calendar.workdays if d.year == 2026)
    assert makeup == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    assert chinese_calendar.is_workday(D(2026, 2, 13))  # the Friday before
    assert chinese_calendar.is_workday(D(2026, 9, 30))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


# (received, rule set, complexity, expected due, provisional, why)
COUNTY = "county-service-promise"
TABLE = [
    # An ordinary week.
    ("2026-03-09 10:00", COUNTY, "complex", "2026-03-12T17:00:00+08:00", False, "Mon +3 → Thu"),
    ("2026-03-09 10:00", COUNTY, "simple", "2026-03-09T17:00:00+08:00", False, "same day"),
    ("2026-03-09 17:00", COUNTY, "simple", "2026-03-10T17:00:00+08:00", False, "at COB = after"),
    ("2026-03-06 18:00", COUNTY, "simple", "2026-03-09T17:00:00+08:00", False, "Fri 18:00 → Mon"),
    ("2026-03-06 18:00", COUNTY, "complex", "2026-03-12T17:00:00+08:00", False, "Fri 18:00 → Thu"),
    ("2026-03-07 11:00", COUNTY, "simple", "2026-03-09T17:00:00+08:00", False, "Saturday"),
    # Spring Festival: holidays 2/15–2/23, make-up Saturdays 2/14 and 2/28.
    ("2026-02-13 10:00", COUNTY, "complex", "2026-02-25T17:00:00+08:00", False, "2/14,24,25"),
    ("2026-02-13 18:00", COUNTY, "simple", "2026-02-14T17:00:00+08:00", False, "→ make-up Sat"),
    ("2026-02-14 10:00", COUNTY, "simple", "2026-02-14T17:00:00+08:00", False, "make-up Sat"),
    ("2026-02-14 10:00", COUNTY, "complex", "2026-02-26T17:00:00+08:00", False, "2/24,25,26"),
    ("2026-02-14 18:00", COUNTY, "simple", "2026-02-24T17:00:00+08:00", False, "eve, after hours"),
    ("2026-02-14 18:00", COUNTY, "complex", "2026-02-27T17:00:00+08:00", False, "eve, after hours"),
    ("2026-02-18 09:00", COUNTY, "simple", "2026-02-24T17:00:00+08:00", False, "in the holiday"),
    ("2026-02-27 18:00", COUNTY, "simple", "2026-02-28T17:00:00+08:00", False, "→ make-up Sat"),
    ("2026-02-27 18:00", COUNTY, "complex", "2026-03-04T17:00:00+08:00", False, "2/28 start"),
    # Mid-Autumn 9/25–27 and National Day 10/1–7, make-up 9/20 (Sun) and 10/10 (Sat).
    ("2026-09-30 16:30", COUNTY, "complex", "2026-10-10T17:00:00+08:00", False, "the issue's"),
    ("2026-09-30 16:30", COUNTY, "simple", "2026-09-30T17:00:00+08:00", False, "same day"),
    ("2026-09-30 17:30", COUNTY, "simple", "2026-10-08T17:00:00+08:00", False, "eve, after hours"),
    ("2026-09-30 17:30", COUNTY, "complex", "2026-10-12T17:00:00+08:00", False, "eve, after hours"),
    ("2026-09-20 10:00", COUNTY, "complex", "2026-09-23T17:00:00+08:00", False, "make-up Sun"),
    ("2026-09-24 10:00", COUNTY, "complex", "2026-09-30T17:00:00+08:00", False, "over Mid-Autumn"),
    ("2026-10-03 12:00", COUNTY, "complex", "2026-10-12T17:00:00+08:00", False, "in the holiday"),
    ("2026-10-10 09:00", COUNTY, "simple", "2026-10-10T17:00:00+08:00", False, "make-up Sat"),
    ("2026-10-10 09:00", COUNTY, "complex", "2026-10-14T17:00:00+08:00", False, "make-up Sat"),
    # Into 2027, which has no data: Monday–Friday, provisional.
    ("2026-12-31 10:00", COUNTY, "simple", "2026-12-31T17:00:00+08:00", False, "stays in 2026"),
    ("2026-12-31 10:00", COUNTY, "complex", "2027-01-05T17:00:00+08:00", True, "1/1 counted"),
    ("2026-12-31 18:00", COUNTY, "simple", "2027-01-01T17:00:00+08:00", True, "1/1 a workday"),
    ("2026-12-30 10:00", COUNTY, "complex", "2027-01-04T17:00:00+08:00", True, "12/31,1/1,1/4"),
    ("2027-01-02 10:00", COUNTY, "simple", "2027-01-04T17:00:00+08:00", True, "Sat in 2027"),
    # CBIRC 2020: 15 calendar days, rolled to a working day.
    ("2026-09-15 10:00", "cbirc-2020", "simple", "2026-09-30T17:00:00+08:00", False, "9/30"),
    ("2026-09-16 10:00", "cbirc-2020", "simple", "2026-10-08T17:00:00+08:00", False, "10/1 → 10/8"),
    ("2026-09-25 10:00", "cbirc-2020", "simple", "2026-10-13T17:00:00+08:00", False, "from 9/28"),
    ("2026-12-20 10:00", "cbirc-2020", "complex", "2027-01-05T17:00:00+08:00", True, "Sun → 12/21"),
    # CBRC 2012: 15 working days for any complexity.
    ("2026-09-21 10:00", "cbrc-2012", "complex", "2026-10-19T17:00:00+08:00", False, "15 wd"),
    ("2026-09-21 10:00", "cbrc-2012", "simple", "2026-10-19T17:00:00+08:00", False, "any"),
]


@pytest.mark.parametrize(
    ("received", "rule_set", "complexity", "expected", "provisional", "why"), TABLE
)
def test_due_time_on_real_dates(
    rule_sets, received, rule_set, complexity, expected, provisional, why
):
    rules = {r.complexity: r for r in rule_sets[rule_set].rules.all()}
    rule = rules.get(complexity) or rules["any"]
    due = compute_due(at(received), rule)
    assert (due.at.isoformat(), due.provisional) == (expected, provisional), why


def test_due_at_is_in_beijing_time_whatever_the_input_zone(county_rule):
    received = at("2026-09-30 16:30").astimezone(datetime.UTC)  # 08:30 UTC
    due = compute_due(received, county_rule("complex"))
    assert due.at.isoformat() == "2026-10-10T17:00:00+08:00"
    assert str(due.at.tzinfo) == "Asia/Shanghai"


def test_naive_received_time_is_refused(county_rule):
    with pytest.raises(ValueError, match="aware"):
        compute_due(datetime.datetime(2026, 9, 30, 16, 30), county_rule("complex"))  # noqa: DTZ001


def test_extension_adds_working_days_from_receipt(county_rule):
    due = compute_due(at("2026-09-30 16:30"), county_rule("complex"), extension_days=2)
    assert due.at.isoformat() == "2026-10-13T17:00:00+08:00"


def test_calendar_day_extension_counts_from_receipt(rule_sets):
    rule = rule_sets["cbirc-2020"].rules.get(complexity="complex")
    due = compute_due(at("2026-09-15 10:00"), rule, extension_days=rule.first_extension_days)
    assert due.at.isoformat() == "2026-10-15T17:00:00+08:00"  # 30 days, a Thursday


def test_negative_extension_is_refused(county_rule):
    with pytest.raises(ValueError, match="negative"):
        compute_due(at("2026-09-30 16:30"), county_rule("complex"), extension_days=-1)


def test_configured_close_of_business_is_the_due_time():
    rule = SlaRule(base_days=0, close_of_business=datetime.time(17, 30))
    due = compute_due(at("2026-09-30 17:15"), rule)
    assert due.at.isoformat() == "2026-09-30T17:30:00+08:00"


@pytest.mark.parametrize(
    ("received", "unit", "days", "expected"),
    [
        # The calendar date of receipt counts even on a rest day: Sat + 3 → Wed.
        ("2026-03-07 11:00", DayUnit.WORKING_DAY, 3, "2026-03-11T17:00:00+08:00"),
        ("2026-03-06 18:00", DayUnit.WORKING_DAY, 3, "2026-03-11T17:00:00+08:00"),
        # A 0-day rule still cannot be due before receipt.
        ("2026-03-06 18:00", DayUnit.WORKING_DAY, 0, "2026-03-09T17:00:00+08:00"),
        # 9/25 + 15 calendar days is the make-up Saturday 10/10, a working day.
        ("2026-09-25 10:00", DayUnit.CALENDAR_DAY, 15, "2026-10-10T17:00:00+08:00"),
    ],
)
def test_rule_without_after_hours_shift_counts_from_the_calendar_date(
    received, unit, days, expected
):
    rule = SlaRule(unit=unit, base_days=days, after_hours_next_day=False)
    assert compute_due(at(received), rule).at.isoformat() == expected


@pytest.mark.parametrize(
    ("due", "hours", "expected"),
    [
        ("2026-10-10 17:00", 2, "2026-10-10T15:00:00+08:00"),  # the default reminder
        ("2026-10-08 17:00", 9, "2026-09-30T16:30:00+08:00"),  # back over National Day
        ("2026-02-24 17:00", 10, "2026-02-14T15:30:00+08:00"),  # back to the make-up Sat
        ("2026-03-09 10:00", 2, "2026-03-06T16:30:00+08:00"),  # before 08:30 → Friday
        ("2026-10-03 12:00", 1, "2026-09-30T16:00:00+08:00"),  # due on a rest day
        ("2026-03-09 19:00", 1, "2026-03-09T16:00:00+08:00"),  # after close of business
        ("2027-01-04 17:00", 9, "2027-01-01T16:30:00+08:00"),  # no data: Mon–Fri
        ("2026-03-09 17:00", 0, "2026-03-09T17:00:00+08:00"),
    ],
)
def test_working_hours_before(county_rule, due, hours, expected):
    assert working_hours_before(at(due), hours, county_rule("complex")).isoformat() == expected


@pytest.mark.parametrize(
    ("moment", "n", "expected"),
    [
        ("2026-09-30 17:00", 1, "2026-10-08T17:00:00+08:00"),
        ("2026-02-13 17:00", 1, "2026-02-14T17:00:00+08:00"),
        ("2026-12-31 17:00", 1, "2027-01-01T17:00:00+08:00"),
        ("2026-10-03 12:00", 1, "2026-10-08T17:00:00+08:00"),
        ("2026-09-30 16:00", 0, "2026-09-30T17:00:00+08:00"),
        ("2026-09-30 18:00", 0, "2026-10-08T17:00:00+08:00"),
    ],
)
def test_add_working_days(county_rule, moment, n, expected):
    assert add_working_days(at(moment), n, county_rule("complex")).isoformat() == expected
