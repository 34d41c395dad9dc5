"""The deadline sweep with frozen time: remind, overdue, supervision — each once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.models import Complaint, TimelineEntry
from complaints.sweep import deadline_sweep
from complaints.workflow import complaint_act
from notifications.models import Notification

from .helpers import register

TZ = ZoneInfo("Asia/Shanghai")
MON = dt.datetime(2026, 9, 21, 10, 0, tzinfo=TZ)  # an ordinary Monday


def at(day_offset=0, hour=0, minute=0):
    return (MON + dt.timedelta(days=day_offset)).replace(hour=hour, minute=minute)


@pytest.fixture
def assigned(county, intake):
    with time_machine.travel(MON, tick=False):
        c = register(county, intake(received_at=MON))
        complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="assign",
            institution=county.a_out1,
            handler=county.a1_handler,
        )
    c.refresh_from_db()
    return c


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return deadline_sweep()


def test_deadline_stamps_for_a_simple_complaint(assigned):
    assert assigned.due_at == at(0, 17)
    assert assigned.remind_at == at(0, 15)
    assert assigned.escalate_at == at(1, 17)


def test_nothing_happens_before_the_reminder_time(assigned):
    r = sweep_at(at(0, 14, 59))
    assert (r.reminded, r.overdue, r.escalated) == (0, 0, 0)


def test_reminder_then_overdue_then_supervision_each_once(county, assigned):
    r = sweep_at(at(0, 15, 1))
    assert (r.reminded, r.overdue, r.escalated) == (1, 0, 0)
    assert kinds(county.a1_handler) == ["assigned", "due_soon"]
    assert sweep_at(at(0, 15, 2)).reminded == 0

    r = sweep_at(at(0, 17, 1))
    assert (r.reminded, r.overdue, r.escalated) == (0, 1, 0)
    assert kinds(county.a1_handler) == ["assigned", "due_soon", "overdue"]
    assert kinds(county.a_manager) == ["overdue"]
    assert kinds(county.regulator) == ["overdue"]
    c = Complaint.objects.get(pk=assigned.pk)
    assert c.overdue_at == at(0, 17, 1)

    r = sweep_at(at(1, 17, 1))
    assert (r.reminded, r.overdue, r.escalated) == (0, 0, 1)
    # The parent institution's managers (bank A) and the regulator hear of it.
    assert kinds(county.a_manager) == ["overdue", "supervision"]
    assert kinds(county.regulator) == ["overdue", "supervision"]
    assert list(
        TimelineEntry.objects.filter(complaint=assigned).values_list("action", flat=True)
    ) == ["register", "assign", "remind", "overdue", "auto_escalate"]


def test_sweep_after_a_gap_sends_each_missed_notice_once(county, assigned):
    r = sweep_at(at(3, 9))  # the worker was down from Monday to Thursday
    assert (r.reminded, r.overdue, r.escalated) == (0, 1, 1)
    again = sweep_at(at(3, 9, 5))
    assert (again.reminded, again.overdue, again.escalated, again.notices) == (0, 0, 0, 0)
    assert kinds(county.regulator) == ["overdue", "supervision"]
    assert TimelineEntry.objects.filter(complaint=assigned, action="overdue").count() == 1


def test_each_notice_links_to_its_own_complaint_with_its_due_time(county, intake, assigned):
    with time_machine.travel(MON, tick=False):
        other = register(county, intake(received_at=MON))
    sweep_at(at(0, 17, 1))  # both overdue: several notices for each, in one batch
    notices = Notification.objects.filter(kind="overdue")
    assert {n.complaint_id for n in notices} == {assigned.pk, other.pk}
    for n in notices:
        assert n.url == f"/complaints/{n.complaint_id}/"
        assert n.body == "答复期限：2026-09-21 17:00"
        assert n.complaint.tracking_no in n.title


def test_answered_complaint_is_never_flagged(county, assigned):
    with time_machine.travel(at(0, 11), tick=False):
        for action, data in [
            ("start", {}),
            ("resolve", {"findings": "f", "is_valid": False, "measures": "m"}),
            ("answer", {"method": "phone", "satisfaction": "satisfied"}),
        ]:
            complaint_act(actor=county.a1_handler, complaint_id=assigned.pk, action=action, **data)
    r = sweep_at(at(5, 12))
    assert (r.reminded, r.overdue, r.escalated) == (0, 0, 0)


def test_approved_extension_restarts_the_clock(county, assigned):
    sweep_at(at(0, 17, 1))  # overdue
    with time_machine.travel(at(0, 17, 30), tick=False):
        complaint_act(
            actor=county.a1_handler,
            complaint_id=assigned.pk,
            action="request_extension",
            reason="需调查",
            customer_told=True,
            requested_due_at=at(2, 17),
        )
        complaint_act(
            actor=county.a_manager,
            complaint_id=assigned.pk,
            action="decide_extension",
            approve=True,
        )
    c = Complaint.objects.get(pk=assigned.pk)
    assert (c.due_at, c.overdue_at, c.remind_at) == (at(2, 17), None, at(2, 15))
    assert sweep_at(at(1, 17, 5)).escalated == 0
    assert sweep_at(at(2, 17, 5)).overdue == 1


def test_provisional_due_time_becomes_exact_when_the_year_is_loaded(county, intake, categories):
    import datetime as _dt

    from deadlines.models import CalendarDay, CalendarYear

    received = dt.datetime(2026, 12, 31, 10, 0, tzinfo=TZ)
    with time_machine.travel(received, tick=False):
        c = register(county, intake(received_at=received, category=categories["服务产品"]))
    assert (c.due_at, c.due_provisional) == (dt.datetime(2027, 1, 5, 17, 0, tzinfo=TZ), True)
    # The State Council's 2027 schedule arrives: say 4 January is a holiday too.
    CalendarDay.objects.create(
        date=_dt.date(2027, 1, 4), is_workday=False, name="元旦", source="manual"
    )
    CalendarYear.objects.create(year=2027, loaded=True, source="manual")
    sweep_at(dt.datetime(2026, 12, 31, 11, 0, tzinfo=TZ))
    c.refresh_from_db()
    assert (c.due_at, c.due_provisional) == (dt.datetime(2027, 1, 6, 17, 0, tzinfo=TZ), False)
    assert c.timeline.filter(action="admin_change").count() == 1
