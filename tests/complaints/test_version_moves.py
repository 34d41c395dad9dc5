"""Every change to a complaint outside ``complaint_act`` moves its version, so an open
form cannot write over it silently; and an approved extension is a decided due time
that the refresh of provisional due times never overwrites."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints import imports
from complaints.deadlines import refresh_provisional, refresh_provisional_one
from complaints.errors import ConcurrentUpdate
from complaints.models import Complaint
from complaints.sweep import deadline_sweep
from complaints.workflow import complaint_act
from deadlines.models import CalendarDay, CalendarYear

from .helpers import register

TZ = ZoneInfo("Asia/Shanghai")
NEW_YEARS_EVE = dt.datetime(2026, 12, 31, 10, 0, tzinfo=TZ)


@pytest.fixture
def provisional(county, intake, categories):
    """Assigned and in progress, due in 2027 before that year's schedule is known."""
    with time_machine.travel(NEW_YEARS_EVE, tick=False):
        c = register(county, intake(received_at=NEW_YEARS_EVE, category=categories["服务产品"]))
        for actor, action, data in (
            (
                county.a_manager,
                "assign",
                {"institution": county.a_out1, "handler": county.a1_handler},
            ),
            (county.a1_handler, "start", {}),
        ):
            complaint_act(actor=actor, complaint_id=c.pk, action=action, **data)
    c.refresh_from_db()
    assert c.due_provisional
    return c


def publish_2027():
    CalendarDay.objects.create(
        date=dt.date(2027, 1, 4), is_workday=False, name="元旦", source="manual"
    )
    CalendarYear.objects.create(year=2027, loaded=True, source="manual")


def extend_and_approve(county, c):
    requested = dt.datetime(2027, 1, 15, 17, 0, tzinfo=TZ)
    with time_machine.travel(NEW_YEARS_EVE + dt.timedelta(hours=1), tick=False):
        complaint_act(
            actor=county.a1_handler,
            complaint_id=c.pk,
            action="request_extension",
            reason="需调取监控录像",
            requested_due_at=requested,
            customer_told=True,
        )
        complaint_act(
            actor=county.a_manager, complaint_id=c.pk, action="decide_extension", approve=True
        )
    return requested


def test_approved_extension_is_no_longer_provisional(client, county, provisional):
    requested = extend_and_approve(county, provisional)
    c = Complaint.objects.get(pk=provisional.pk)
    assert (c.due_at, c.due_provisional) == (requested, False)
    client.force_login(county.a1_handler)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "暂定" not in page
    publish_2027()
    assert refresh_provisional() == 0
    assert Complaint.objects.get(pk=c.pk).due_at == requested


def test_refresh_that_read_the_row_before_the_approval_leaves_it_alone(county, provisional):
    # The refresh has picked its candidates; an approval commits before it gets to
    # the row; when it locks the row the due time is a decided one.
    publish_2027()
    candidates = list(Complaint.objects.filter(due_provisional=True).values_list("pk", flat=True))
    assert candidates == [provisional.pk]
    requested = extend_and_approve(county, provisional)
    version = Complaint.objects.get(pk=provisional.pk).version
    assert refresh_provisional_one(provisional.pk) is False
    c = Complaint.objects.get(pk=provisional.pk)
    assert (c.due_at, c.due_provisional, c.version) == (requested, False, version)


def test_refresh_moves_the_version(county, provisional):
    publish_2027()
    assert refresh_provisional() == 1
    c = Complaint.objects.get(pk=provisional.pk)
    assert (c.due_at, c.due_provisional, c.version) == (
        dt.datetime(2027, 1, 6, 17, 0, tzinfo=TZ),
        False,
        provisional.version + 1,
    )


def test_a_form_opened_before_the_sweep_marked_it_overdue_is_refused(county, intake):
    monday = dt.datetime(2026, 9, 21, 10, 0, tzinfo=TZ)
    with time_machine.travel(monday, tick=False):
        c = register(county, intake(received_at=monday))
    opened_on = c.version  # the manager opens the assign form now
    result = deadline_sweep(monday + dt.timedelta(days=1))
    assert result.overdue == 1
    assert Complaint.objects.get(pk=c.pk).version > opened_on
    with pytest.raises(ConcurrentUpdate):
        complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="assign",
            expected_version=opened_on,
            institution=county.a_out1,
            handler=county.a1_handler,
        )


def test_major_report_is_saved_with_the_change_that_made_it_major(county, intake):
    c = register(county, intake(is_major=True))
    assert (c.version, Complaint.objects.get(pk=c.pk).version) == (1, 1)
    assert c.reported_to_regulator_at is not None


def test_import_loads_the_recorded_state_with_a_new_version(county, categories):
    header = (
        "受理时间,投诉来源,投诉人姓名,联系电话,投诉事项,投诉诉求,被投诉机构代码,处理类别,状态\n"
    )
    row = "2025-04-01 14:00,电话,赵六,13812340000,咨询征信,解释,A-OUT1,服务渠道,处理中\n"
    preview = imports.preview(
        actor=county.a_manager, rows=imports.read_table("x.csv", (header + row).encode())
    )
    (c,) = imports.import_rows(actor=county.a_manager, preview_result=preview, source="x.csv")
    c = Complaint.objects.get(pk=c.pk)
    assert (c.status, c.version) == ("in_progress", 2)
