"""The clock's actions through the API: the transitions endpoint offers and performs
them (it is built from the action forms), the complaint shows both due times and its
pauses, and hostile input is a 4xx with the forms' messages, never a 500."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.helpers import complaint_in_state, register

from .test_transitions import post_action

TZ = ZoneInfo("Asia/Shanghai")


def t(month, day, hour=10):
    return dt.datetime(2026, month, day, hour, tzinfo=TZ)


def test_pause_and_resume_through_the_api(api, county, intake):
    with time_machine.travel(t(9, 21), tick=False):
        c = complaint_in_state(county, intake(), "in_progress")
    client = api(county.a1_handler)
    with time_machine.travel(t(9, 23), tick=False):
        listed = client.get(reverse("api:complaint-transitions", args=[c.pk])).json()
        assert "pause" in {a["name"] for a in listed}
        r = post_action(
            client,
            c,
            "pause",
            {"version": c.version, "reason": "appraisal", "consumer_told_via": "phone"},
        )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["is_paused"] is True
    assert body["statutory_due_at"] == "2026-10-08T17:00:00+08:00"
    assert body["statutory_pack"] == "cbirc-2020"
    assert body["pauses"][0]["reason"] == "appraisal"
    assert body["pauses"][0]["resumed_at"] is None
    with time_machine.travel(t(10, 9, 11), tick=False):
        r = post_action(client, c, "resume", {"version": body["version"]})
    body = r.json()
    assert r.status_code == 200
    assert (body["is_paused"], body["statutory_due_at"]) == (False, "2026-10-22T17:00:00+08:00")
    assert body["pauses"][0]["statutory_days"] == 16


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("pause", {"reason": "<script>", "consumer_told_via": "phone"}),
        ("pause", {"reason": "appraisal", "consumer_told_via": "x" * 5000}),
        (
            "pause",
            {"reason": "appraisal", "consumer_told_via": "phone", "consumer_told_at": "9999"},
        ),
        ("withdraw", {"withdrawn_on": "2026-02-30", "channel": "phone"}),
        ("withdraw", {"withdrawn_on": "2099-01-01", "channel": "phone"}),
        ("withdraw", {"withdrawn_on": ["2026-06-01"], "channel": {"a": 1}}),
        ("extend_statutory", {"days": "sixty", "reason": "x", "consumer_told_via": "phone"}),
        ("extend_statutory", {"days": 9999, "reason": "x", "consumer_told_via": "phone"}),
        ("refile", {"new_facts": "", "filed_at": "yesterday"}),
        ("merge", {"primary": 999999999}),
        ("merge", {"primary": "1 OR 1=1"}),
    ],
)
def test_hostile_clock_input_is_a_4xx(api, county, intake, action, fields):
    with time_machine.travel(t(6, 1), tick=False):
        c = complaint_in_state(county, intake(), "in_progress")
        register(county, intake())  # a second open complaint: merge is offered
    with time_machine.travel(t(6, 5), tick=False):
        r = post_action(api(county.a_manager), c, action, {"version": c.version, **fields})
    assert 400 <= r.status_code < 500, (r.status_code, r.content[:300])
    c.refresh_from_db()
    assert (c.status, c.paused_at, c.statutory_days) == ("in_progress", None, 15)


def test_merge_into_another_banks_complaint_is_refused(api, county, intake):
    with time_machine.travel(t(6, 1), tick=False):
        other = register(
            county, intake(complained_institution=county.b_out1), actor=county.b_teller
        )
        dup = register(county, intake())
        complaint_in_state(county, intake(), "registered")  # the customer's own at bank A
    r = post_action(
        api(county.a_teller), dup, "merge", {"version": dup.version, "primary": other.pk}
    )
    assert r.status_code == 400
    assert Complaint.objects.get(pk=dup.pk).status == "registered"
