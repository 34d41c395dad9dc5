"""Follow-up contacts on the timeline, urges with a date, and timeline rows that say
what happened in the reader's language."""

import datetime as dt
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from complaints import workflow
from complaints.errors import WorkflowError
from complaints.models import Complaint, TimelineEntry

from .helpers import complaint_in_state


def act(actor, c, action, **data):
    return workflow.complaint_act(actor=actor, complaint_id=c.pk, action=action, **data)


def test_handler_logs_three_calls_without_changing_the_state(client, county, intake):
    received = timezone.now() - timedelta(days=1)
    c = complaint_in_state(county, intake(received_at=received), "in_progress")
    earlier = timezone.now() - timedelta(hours=2)
    act(county.a1_handler, c, "log_contact", method="phone", summary="未接通", contacted_at=earlier)
    act(county.a1_handler, c, "log_contact", method="phone", summary="客户要求明天再联系")
    act(
        county.a1_handler,
        c,
        "log_contact",
        method="visit",
        summary="上门说明调查进展",
        contact_with="客户之子",
    )
    c.refresh_from_db()
    assert (c.status, c.version) == ("in_progress", 6)
    rows = list(TimelineEntry.objects.filter(complaint=c, action="contact"))
    assert [r.note for r in rows] == ["未接通", "客户要求明天再联系", "上门说明调查进展"]
    assert rows[0].payload["contacted_at"] == earlier.isoformat()
    client.force_login(county.a_manager)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "联系方式：</span>上门走访" in page
    assert "联系对象：</span><span data-user-content>客户之子</span>" in page
    local = timezone.localtime(earlier).strftime("%Y-%m-%d %H:%M")
    assert f"联系时间：</span>{local}" in page


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"method": "pigeon", "summary": "x"}, "missing_field"),
        ({"method": "phone", "summary": "  "}, "missing_field"),
        (
            {"method": "phone", "summary": "x", "contacted_at": timezone.now() + timedelta(days=1)},
            "bad_time",
        ),
    ],
)
def test_contact_with_bad_data_is_refused_and_writes_nothing(county, intake, data, code):
    c = complaint_in_state(county, intake(), "in_progress")
    with pytest.raises(WorkflowError) as refused:
        act(county.a1_handler, c, "log_contact", **data)
    assert refused.value.code == code
    assert Complaint.objects.get(pk=c.pk).version == c.version
    assert not TimelineEntry.objects.filter(complaint=c, action="contact").exists()


def test_urge_with_a_past_date_is_refused_on_the_form_and_in_the_service(client, county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(WorkflowError) as refused:
        act(county.regulator, c, "supervise", note="尽快", expected_by=yesterday)
    assert refused.value.code == "bad_date"
    client.force_login(county.regulator)
    response = client.post(
        reverse("complaints:act", args=[c.pk, "supervise"]),
        {"version": c.version, "note": "尽快", "expected_by": yesterday.isoformat()},
        follow=True,
    )
    detail = reverse("complaints:detail", args=[c.pk])
    assert response.redirect_chain == [(f"{detail}#action-supervise", 302)]
    page = response.content.decode()
    assert "要求办结日期不能早于今天。" in page
    assert '<details id="action-supervise" open' in page
    assert not c.urges.exists()


def test_urge_date_is_shown_on_the_timeline(client, county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    due = timezone.localdate() + timedelta(days=3)
    act(county.regulator, c, "supervise", note="请三日内办结", expected_by=due)
    client.force_login(county.a1_handler)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert f"要求办结日期：</span>{due.isoformat()}" in page


def test_answer_row_shows_method_and_satisfaction_in_the_readers_language(client, county, intake):
    c = complaint_in_state(county, intake(), "resolved")
    act(county.a1_handler, c, "answer", method="letter", satisfaction="basic", note="已寄送")
    client.force_login(county.a1_handler)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "反馈方式：</span>书面信函" in page
    assert "客户满意度：</span>基本满意" in page
    with translation.override("en"):
        english = client.get(
            reverse("complaints:detail", args=[c.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "Answer method" in english
    assert "Fairly satisfied" in english or "Basically satisfied" in english


def test_registration_row_names_the_source_in_the_readers_language(client, county, intake):
    c = complaint_in_state(county, intake(intake_source="letter"), "registered")
    row = TimelineEntry.objects.get(complaint=c, action="register")
    assert (row.note, row.payload["intake_source"]) == ("", "letter")
    client.force_login(county.a_teller)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "投诉来源：</span>信件" in page
    english = client.get(
        reverse("complaints:detail", args=[c.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "信件" not in english.split('data-testid="timeline"')[1]


def test_system_notes_are_translated_when_shown(client, county, intake):
    from complaints.sweep import deadline_sweep

    monday = dt.datetime(2026, 9, 21, 10, 0, tzinfo=timezone.get_current_timezone())
    import time_machine

    with time_machine.travel(monday, tick=False):
        c = complaint_in_state(county, intake(received_at=monday), "registered")
    deadline_sweep(monday + timedelta(days=1))
    client.force_login(county.a_teller)
    english = client.get(
        reverse("complaints:detail", args=[c.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    timeline = english.split('data-testid="timeline"')[1]
    assert "超过答复期限未反馈" not in timeline
