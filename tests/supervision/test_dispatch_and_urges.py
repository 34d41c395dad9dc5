"""The office's intake and dispatch in one record, the institution's view of it, and
urges (the workflow's "supervise" action) on both sides: the complaint's timeline
and notices at the institution, the overdue-urge list and the board at the office."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, TimelineEntry, Urge
from complaints.workflow import complaint_act
from notifications.models import Notification
from supervision import selectors

from ..complaints.helpers import valid_data


def _dispatch(county, intake):
    data = intake(intake_source="phone", complained_institution=county.a_out1)
    data["dispatch_note"] = "请三个工作日内答复"
    complaint, _warnings = services.complaint_dispatch(
        actor=county.regulator, data=data, institution=county.a_out1, handler=county.a1_handler
    )
    return complaint


def test_dispatch_creates_exactly_one_record_seen_at_once_by_the_institution(
    client, county, intake
):
    c = _dispatch(county, intake)
    assert Complaint.objects.count() == 1
    c.refresh_from_db()
    assert (c.status, c.accepting_institution, c.handling_institution, c.handler) == (
        "assigned",
        county.pbc,
        county.a_out1,
        county.a1_handler,
    )
    assert c.tracking_no.startswith("PBC-")
    assert list(c.timeline.values_list("action", flat=True)) == ["register", "assign"]
    assert Notification.objects.filter(
        recipient=county.a1_handler, kind="dispatched", complaint=c
    ).exists()

    client.force_login(county.a1_handler)
    listing = client.get(reverse("complaints:list")).content.decode()
    row = listing.split(c.tracking_no, 1)[1].split("</tr>", 1)[0]
    assert "人民银行转办" in row
    detail = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "人民银行转办" in detail
    assert timezone.localtime(c.due_at).strftime("%Y-%m-%d %H:%M") in detail
    # The dispatched case is on the board of the institution's manager at once.
    board = selectors.supervision_board(county.a_manager)
    assert {r.institution.code: r.counts.open for r in board.rows}["A-OUT1"] == 1


def test_supervisor_sees_the_institutions_answer_on_the_same_page(client, county, intake):
    c = _dispatch(county, intake)
    for actor, action in ((county.a1_handler, "start"), (county.a1_handler, "resolve")):
        complaint_act(
            actor=actor, complaint_id=c.pk, action=action, **valid_data(action, c, county)
        )
    complaint_act(
        actor=county.a1_handler,
        complaint_id=c.pk,
        action="answer",
        method="phone",
        satisfaction="basic",
        note="已电话告知处理结果",
    )
    client.force_login(county.regulator)
    response = client.get(reverse("complaints:detail", args=[c.pk]))
    body = response.content.decode()
    assert response.context["c"].pk == c.pk
    assert "经调阅监控，情况属实" in body  # the institution's findings
    assert "基本满意" in body  # the consumer's feedback
    actions = [t.action for t in response.context["timeline"]]
    assert actions == ["register", "assign", "start", "resolve", "answer"]
    assert Complaint.objects.count() == 1


def test_urge_notifies_the_institution_and_appears_on_both_sides(client, county, intake):
    c = _dispatch(county, intake)
    complaint_act(actor=county.a1_handler, complaint_id=c.pk, action="start")
    yesterday = timezone.localdate() - timedelta(days=1)
    # Urged two days ago, to be done by yesterday (a past date is refused now).
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        complaint_act(
            actor=county.regulator,
            complaint_id=c.pk,
            action="supervise",
            note="请于昨日前办结并报告",
            expected_by=yesterday,
        )
    urge = Urge.objects.get()
    assert (urge.complaint, urge.urged_by, urge.expected_by) == (c, county.regulator, yesterday)
    note = Notification.objects.get(kind="urged")
    assert (note.recipient, note.complaint) == (county.a1_handler, c)
    assert TimelineEntry.objects.filter(complaint=c, action="supervise").count() == 1

    # The institution's side: the urge on the complaint page and in its timeline.
    client.force_login(county.a1_handler)
    detail = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "请于昨日前办结并报告" in detail
    assert 'data-action="supervise"' in detail
    # The office's side: the overdue-urge list and the board.
    assert list(selectors.overdue_urges(county.regulator)) == [urge]
    assert selectors.supervision_board(county.regulator).total.urges_overdue == 1
    client.force_login(county.regulator)
    page = client.get(reverse("supervision:urges")).content.decode()
    assert c.tracking_no in page
    assert "请于昨日前办结并报告" in page
    # Another county's supervisor sees none of it.
    assert list(selectors.overdue_urges(county.other_regulator)) == []


def test_urge_is_not_overdue_before_its_date_or_once_answered(county, intake):
    c = _dispatch(county, intake)
    tomorrow = timezone.localdate() + timedelta(days=1)
    complaint_act(
        actor=county.regulator,
        complaint_id=c.pk,
        action="supervise",
        note="督办",
        expected_by=tomorrow,
    )
    assert list(selectors.overdue_urges(county.regulator)) == []
    assert len(selectors.overdue_urges(county.regulator, today=tomorrow + timedelta(days=1))) == 1
    for action in ("start", "resolve"):
        complaint_act(
            actor=county.a1_handler,
            complaint_id=c.pk,
            action=action,
            **valid_data(action, c, county),
        )
    complaint_act(
        actor=county.a1_handler,
        complaint_id=c.pk,
        action="answer",
        **valid_data("answer", c, county),
    )
    assert len(selectors.overdue_urges(county.regulator, today=tomorrow + timedelta(days=1))) == 0


def test_major_list_shows_who_reported_and_when(client, county, intake):
    major, _ = services.complaint_register(actor=county.a_teller, data=intake(is_major=True))
    plain, _ = services.complaint_register(
        actor=county.a_teller, data=intake(complainant_phone="13900002222", id_number="")
    )
    # Escalated to the top of bank A: outlet → bank A (no parent).
    complaint_act(
        actor=county.a_manager,
        complaint_id=plain.pk,
        action="assign",
        institution=county.a_out1,
        handler=county.a1_handler,
    )
    complaint_act(
        actor=county.a1_handler, complaint_id=plain.pk, action="escalate", reason="超出网点权限"
    )
    qs = selectors.major_complaints(county.regulator)
    assert {c.pk for c in qs} == {major.pk, plain.pk}
    reports = {c.pk: [(t.action, t.actor) for t in c.reports] for c in qs}
    assert reports[major.pk] == [("report_major", county.a_teller)]
    assert reports[plain.pk] == [("escalate", county.a1_handler)]
    assert {c.pk for c in selectors.major_complaints(county.b_manager)} == set()
    assert {c.pk for c in selectors.major_complaints(county.other_regulator)} == set()

    client.force_login(county.regulator)
    body = client.get(reverse("supervision:major")).content.decode()
    assert major.tracking_no in body
    assert plain.tracking_no in body
    assert "重大投诉报告监管" in body
    assert county.a1_handler.get_full_name() in body
