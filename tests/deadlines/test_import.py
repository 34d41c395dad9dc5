"""Importing next year's schedule through the admin: preview first, a file with any
bad row imports nothing, a good one marks its year loaded."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deadlines.enums import CalendarSource
from deadlines.models import CalendarDay, CalendarYear, SlaRule
from deadlines.resources import CalendarDayResource
from deadlines.services import compute_due

from .conftest import at

HEADER = "日期,是否工作日,名称\n"
# Invented for the test: the real 2027 schedule is not published yet.
GOOD_2027 = HEADER + "2027-01-01,否,元旦\n2027/2/6,是,调休上班\n2027年2月8日,否,春节\n"


def _post(client, text: str):
    upload = SimpleUploadedFile("2027.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(
        reverse("admin:deadlines_calendarday_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def test_good_file_shows_preview_then_imports_and_marks_the_year(client, county):
    client.force_login(county.sysadmin)
    response = _post(client, GOOD_2027)
    body = response.content.decode()
    assert response.status_code == 200
    assert "调休上班" in body
    assert 'name="import_file_name"' in body  # the confirm form
    assert not CalendarDay.objects.filter(date__year=2027).exists()  # preview writes nothing
    assert not CalendarYear.objects.filter(year=2027).exists()

    client.post(
        reverse("admin:deadlines_calendarday_process_import"),
        response.context["confirm_form"].initial,
    )
    rows = list(
        CalendarDay.objects.filter(date__year=2027).values_list(
            "date", "is_workday", "name", "source"
        )
    )
    assert rows == [
        (datetime.date(2027, 1, 1), False, "元旦", CalendarSource.IMPORT),
        (datetime.date(2027, 2, 6), True, "调休上班", CalendarSource.IMPORT),
        (datetime.date(2027, 2, 8), False, "春节", CalendarSource.IMPORT),
    ]
    year = CalendarYear.objects.get(year=2027)
    assert (year.loaded, year.source, year.note) == (True, CalendarSource.IMPORT, "导入：2027.csv")
    # 12/31 after hours: 1/1 is now a holiday, 1/2–3 the weekend; no longer provisional.
    due = compute_due(at("2026-12-31 18:00"), SlaRule(base_days=0))
    assert (due.at.isoformat(), due.provisional) == ("2027-01-04T17:00:00+08:00", False)


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("2027-02-30,否,春节", "无法识别的日期：2027-02-30（请写作 2027-01-01）"),
        ("2027-02-06,也许,调休上班", "“是否工作日”应填“是”或“否”，而不是“也许”"),
        (",否,春节", "日期不能为空"),
    ],
)
def test_file_with_one_bad_row_imports_nothing(client, county, bad_row, message):
    client.force_login(county.sysadmin)
    text = HEADER + "2027-01-01,否,元旦\n" + bad_row + "\n2027-02-08,否,春节\n"
    response = _post(client, text)
    body = response.content.decode()
    assert message in body
    assert 'name="import_file_name"' not in body  # no confirm button
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_import_overrides_a_package_day_and_keeps_its_year_loaded(client, county):
    client.force_login(county.sysadmin)
    response = _post(client, HEADER + "2026-10-09,否,本县特别安排\n")
    client.post(
        reverse("admin:deadlines_calendarday_process_import"),
        response.context["confirm_form"].initial,
    )
    day = CalendarDay.objects.get(date=datetime.date(2026, 10, 9))
    assert (day.is_workday, day.name, day.source) == (False, "本县特别安排", CalendarSource.IMPORT)
    assert CalendarYear.objects.get(year=2026).loaded


def test_teller_cannot_reach_the_import(client, county):
    client.force_login(county.a_teller)
    response = _post(client, GOOD_2027)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_export_uses_chinese_columns_and_words():
    dataset = CalendarDayResource().export(
        CalendarDay.objects.filter(
            date__in=[datetime.date(2026, 10, 1), datetime.date(2026, 10, 10)]
        )
    )
    assert dataset.headers == ["日期", "是否工作日", "名称"]
    assert [list(row) for row in dataset] == [
        ["2026-10-01", "否", "国庆节"],
        ["2026-10-10", "是", "调休上班"],
    ]
