"""A list row as display values (complaints.rows) and its markup
(``{% complaint_table %}``): the same facts the detail page shows, masked and escaped."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string

from complaints.models import Complaint
from complaints.rows import for_rows, present
from complaints.templatetags.complaint_rows import complaint_table
from tests.complaints.factories import ComplaintFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=SHANGHAI)


def _row(complaint):
    return present(for_rows(Complaint.objects.filter(pk=complaint.pk)), now=NOW)[0]


def _make(county, categories, **kw):
    return ComplaintFactory(
        complained_institution=county.a_out1,
        category=categories["服务态度"],
        first_responder=county.a_teller,
        **kw,
    )


def test_row_masks_personal_fields_and_formats_in_local_time(county, categories):
    c = _make(
        county,
        categories,
        complainant_name="李四",
        complainant_phone="13812345678",
        received_at=dt.datetime(2026, 3, 9, 23, 30, tzinfo=SHANGHAI),
    )
    row = _row(c)
    assert (row["name"], row["phone"]) == ("李*", "138****5678")
    assert row["received"] == "2026-03-09 23:30"  # Asia/Shanghai, not UTC
    assert row["url"] == f"/complaints/{c.pk}/"
    assert row["tracking_no"] == c.tracking_no
    assert row["status"] == c.get_status_display()
    assert row["complexity"] == c.get_complexity_display()


def test_due_badges_follow_the_facts(county, categories):
    due = NOW - dt.timedelta(hours=1)
    open_late = _make(county, categories, status="in_progress", due_at=due)
    answered_late = _make(
        county, categories, status="answered", due_at=due, answered_at=NOW - dt.timedelta(minutes=1)
    )
    answered_in_time = _make(
        county, categories, status="answered", due_at=due, answered_at=due - dt.timedelta(hours=2)
    )
    open_in_time = _make(
        county, categories, status="in_progress", due_at=NOW + dt.timedelta(hours=1)
    )
    flags = {
        c.pk: (r["overdue"], r["answered_late"], r["on_time"])
        for c in (open_late, answered_late, answered_in_time, open_in_time)
        for r in [_row(c)]
    }
    # 逾期 is open past due; an answer after the due time is 超时反馈 (issue 23).
    assert flags == {
        open_late.pk: (True, False, False),
        answered_late.pk: (False, True, False),
        answered_in_time.pk: (False, False, True),
        open_in_time.pk: (False, False, False),
    }


def test_a_paused_case_past_its_due_time_is_not_overdue(county, categories):
    # 中止计时: the due time moves when the case resumes; the row agrees with
    # Complaint.is_overdue and the list's overdue filter (selectors.past_due_q).
    c = _make(
        county,
        categories,
        status="in_progress",
        due_at=NOW - dt.timedelta(hours=1),
        paused_at=NOW - dt.timedelta(hours=2),
    )
    assert _row(c)["overdue"] is False


def test_markup_escapes_every_value_and_shows_the_badges(county, categories):
    county.a_handler.full_name = '<script>alert("x")</script>'
    county.a_handler.save()
    c = _make(
        county,
        categories,
        status="in_progress",
        handler=county.a_handler,
        due_at=NOW - dt.timedelta(hours=1),
        due_provisional=True,
        is_major=True,
    )
    html = _table([_row(c)])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'class="badge bad">重大' in html
    assert 'class="badge bad">逾期' in html
    assert 'class="badge warn" title="该年度工作日历尚未发布">暂定' in html
    assert f'<a href="/complaints/{c.pk}/">{c.tracking_no}</a>' in html


def _table(rows, selectable=False) -> str:
    return render_to_string("complaints/_rows.html", complaint_table(rows, selectable))


def test_no_rows_says_so_across_every_column():
    for selectable, width in ((False, 9), (True, 10)):
        html = _table([], selectable)
        assert "没有符合条件的投诉。" in html
        assert html.count("<th>") + html.count("<th ") == width
        assert f'colspan="{width}"' in html
