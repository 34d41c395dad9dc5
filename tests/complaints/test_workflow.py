"""The whole allowed-transition table, for every role, through the one entry point.
Every pair not in the table must be refused and leave the record as it was."""

import pytest
from django.db import transaction
from django.http import Http404

from complaints import workflow
from complaints.errors import WorkflowError
from complaints.models import Complaint, TimelineEntry

from .helpers import complaint_in_state, valid_data

USERS = [
    "regulator",
    "other_regulator",
    "a_manager",
    "a_handler",
    "a1_handler",
    "a_teller",
    "a2_teller",
    "b_manager",
    "b_teller",
    "sysadmin",
]
MGR = {"a_manager", "regulator"}
# The office supervises a bank's complaint; escalating it within the bank and asking
# for more time are the bank's own (its managers' and its handler's).
BANK_MGR = {"a_manager"}
# state -> action -> who may do it (the handler is a1_handler, at bank A's first outlet,
# from 'assigned' on; the first responder is a_teller at the same outlet).
HANDLER = {"a1_handler"}
# Pausing, refiling and extending the statutory limit are the bank's; withdrawal is
# recorded by whoever may answer.
CLOCK = {
    "pause": BANK_MGR | HANDLER,
    "refile": BANK_MGR | HANDLER,
    "extend_statutory": BANK_MGR,
    "withdraw": MGR | HANDLER | {"a_teller"},
}
ALLOWED = {
    "registered": {
        "refuse": MGR | {"a_teller"},
        "transfer": MGR | {"a_teller"},
        "assign": MGR,
        "escalate": BANK_MGR,
        "request_extension": BANK_MGR,
        "supervise": MGR,
        "log_contact": MGR | {"a_teller"},
        "pause": BANK_MGR,
        "refile": BANK_MGR,
        "extend_statutory": BANK_MGR,
        "withdraw": MGR | {"a_teller"},
    },
    "assigned": {
        "assign": MGR,
        "start": {"a1_handler"},
        "escalate": BANK_MGR | {"a1_handler"},
        "request_extension": BANK_MGR | {"a1_handler"},
        "supervise": MGR,
        "log_contact": MGR | {"a1_handler", "a_teller"},
        **CLOCK,
    },
    "in_progress": {
        "escalate": BANK_MGR | {"a1_handler"},
        "request_extension": BANK_MGR | {"a1_handler"},
        "supervise": MGR,
        "resolve": MGR | {"a1_handler"},
        "log_contact": MGR | {"a1_handler", "a_teller"},
        **CLOCK,
    },
    "resolved": {
        "answer": MGR | {"a1_handler", "a_teller"},
        "reopen": MGR | {"a1_handler", "a_teller"},
        "supervise": MGR,
        "log_contact": MGR | {"a1_handler", "a_teller"},
        "withdraw": MGR | HANDLER | {"a_teller"},
    },
    "answered": {
        "reopen": MGR | {"a1_handler", "a_teller"},
        "archive": MGR,
        "log_contact": MGR | {"a1_handler", "a_teller"},
    },
    "archived": {},
    "refused": {},
    "transferred": {},
}
# The case file: whoever logs contacts adds files and recording references (none of
# these complaints has a file yet, so nothing can be removed).
for _actions in ALLOWED.values():
    if "log_contact" in _actions:
        _actions["attach"] = _actions["attach_recording"] = _actions["log_contact"]
# Who can see a complaint of bank A's first outlet: its staff, bank A's manager (the
# subtree) and the county office; bank A's own handler sees bank A's cases only. The
# jurisdiction-wide sysadmin sees it but has no handling role.
VISIBLE = {"regulator", "a_manager", "a1_handler", "a_teller", "sysadmin"}


class Rollback(Exception):
    pass


@pytest.mark.parametrize("state", list(ALLOWED))
def test_transition_table_for_every_role(county, intake, state):
    complaint = complaint_in_state(county, intake(), state)
    assert complaint.status == state
    for who in USERS:
        user = getattr(county, who)
        fresh = Complaint.objects.get(pk=complaint.pk)
        offered = (
            {a.name for a in workflow.available_actions(user, fresh)} if who in VISIBLE else set()
        )
        expected = {a for a, allowed in ALLOWED[state].items() if who in allowed}
        assert offered == expected, (state, who)
        for action in workflow.ACTIONS:
            if action in ("decide_extension", "reverify", "resume"):
                continue  # need a pending request / a reopen / a pause: tested below
            before = Complaint.objects.get(pk=complaint.pk)
            rows_before = TimelineEntry.objects.filter(complaint=complaint).count()
            try:
                with transaction.atomic():
                    workflow.complaint_act(
                        actor=user,
                        complaint_id=complaint.pk,
                        action=action,
                        **valid_data(action, before, county),
                    )
                    raise Rollback
            except Rollback:
                assert action in expected, (state, who, action, "allowed but should not be")
            except Http404:
                assert who not in VISIBLE, (state, who, action)
            except WorkflowError:
                assert action not in expected, (state, who, action, "refused but allowed")
                after = Complaint.objects.get(pk=complaint.pk)
                assert (after.status, after.version) == (before.status, before.version)
                assert TimelineEntry.objects.filter(complaint=complaint).count() == rows_before


def test_every_transition_writes_exactly_one_timeline_row(county, intake):
    c = complaint_in_state(county, intake(), "archived")
    actions = list(TimelineEntry.objects.filter(complaint=c).values_list("action", "to_status"))
    assert actions == [
        ("register", "registered"),
        ("assign", "assigned"),
        ("start", "in_progress"),
        ("resolve", "resolved"),
        ("answer", "answered"),
        ("archive", "archived"),
    ]
    assert c.version == 6


def test_handler_may_not_be_the_staff_member_complained_about(county, intake):
    c = complaint_in_state(county, intake(complained_staff=county.a1_handler), "registered")
    with pytest.raises(WorkflowError, match="处理人不能是被投诉的当事人"):
        workflow.complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="assign",
            institution=county.a_out1,
            handler=county.a1_handler,
        )
    c.refresh_from_db()
    assert (c.status, c.handler_id) == ("registered", None)


def test_handler_must_work_at_the_chosen_institution(county, intake):
    c = complaint_in_state(county, intake(), "registered")
    with pytest.raises(WorkflowError, match="处理人必须是所选机构"):
        workflow.complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="assign",
            institution=county.a_out1,
            handler=county.b_handler,
        )


def test_assign_outside_scope_is_refused(county, intake):
    c = complaint_in_state(county, intake(), "registered")
    with pytest.raises(WorkflowError, match="管辖范围"):
        workflow.complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="assign",
            institution=county.bank_b,
            handler=county.b_handler,
        )


def test_regulator_may_assign_anywhere_in_jurisdiction(county, intake):
    c = complaint_in_state(county, intake(), "registered")
    c = workflow.complaint_act(
        actor=county.regulator,
        complaint_id=c.pk,
        action="assign",
        institution=county.bank_b,
        handler=county.b_handler,
    )
    assert (c.handling_institution, c.handler) == (county.bank_b, county.b_handler)


def test_reopened_complaint_cannot_be_resolved_before_reverification(county, intake):
    c = complaint_in_state(county, intake(), "answered")
    c = workflow.complaint_act(
        actor=county.a_teller, complaint_id=c.pk, action="reopen", reason="客户不满意"
    )
    assert (c.status, c.is_repeat, c.needs_reverification, c.reopen_count) == (
        "in_progress",
        True,
        True,
        1,
    )
    with pytest.raises(WorkflowError, match="重新核查分析"):
        workflow.complaint_act(
            actor=county.a1_handler,
            complaint_id=c.pk,
            action="resolve",
            **valid_data("resolve", c, county),
        )
    assert Complaint.objects.get(pk=c.pk).status == "in_progress"
    workflow.complaint_act(
        actor=county.a1_handler,
        complaint_id=c.pk,
        action="reverify",
        analysis="客户再次投诉是因为未收到书面答复",
    )
    c = workflow.complaint_act(
        actor=county.a1_handler,
        complaint_id=c.pk,
        action="resolve",
        **valid_data("resolve", c, county),
    )
    assert c.status == "resolved"
    assert c.reverification == "客户再次投诉是因为未收到书面答复"


def test_stale_version_is_a_conflict_and_changes_nothing(county, intake):
    c = complaint_in_state(county, intake(), "registered")
    workflow.complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        expected_version=1,
        **valid_data("assign", c, county),
    )
    with pytest.raises(WorkflowError, match="此投诉已被他人更新，请刷新后重试") as info:
        workflow.complaint_act(
            actor=county.regulator,
            complaint_id=c.pk,
            action="refuse",
            expected_version=1,
            reason="other",
            note="重复",
        )
    assert info.value.code == "conflict"
    c.refresh_from_db()
    assert (c.status, c.version) == ("assigned", 2)


def test_escalate_moves_case_to_parent_and_reports_major(county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    c = workflow.complaint_act(
        actor=county.a1_handler,
        complaint_id=c.pk,
        action="escalate",
        reason="涉及金额较大，超出权限",
        major=True,
    )
    assert (c.status, c.handling_institution, c.handler, c.escalation_level) == (
        "registered",
        county.bank_a,
        None,
        1,
    )
    assert c.is_major
    assert c.reported_to_regulator_at is not None
    actions = list(c.timeline.values_list("action", flat=True))
    assert actions[-2:] == ["escalate", "report_major"]
    from notifications.models import Notification

    assert (
        Notification.objects.filter(recipient=county.regulator, kind="major", complaint=c).count()
        == 1
    )


def test_escalation_stops_at_the_top_of_the_institution(county, intake):
    from .helpers import register

    c = register(county, intake(complained_institution=county.bank_a), actor=county.a_manager)
    with pytest.raises(WorkflowError, match="最高层级"):
        workflow.complaint_act(
            actor=county.a_manager, complaint_id=c.pk, action="escalate", reason="x"
        )


def test_extension_request_and_approval_replace_due_time_and_keep_history(county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    old_due = c.due_at
    data = valid_data("request_extension", c, county)
    workflow.complaint_act(
        actor=county.a_manager, complaint_id=c.pk, action="request_extension", **data
    )
    with pytest.raises(WorkflowError, match="不能审批自己"):
        workflow.complaint_act(
            actor=county.a_manager, complaint_id=c.pk, action="decide_extension", approve=True
        )
    with pytest.raises(WorkflowError, match="无权"):
        workflow.complaint_act(
            actor=county.a1_handler, complaint_id=c.pk, action="decide_extension", approve=True
        )
    assert workflow.ACTIONS["decide_extension"] in workflow.available_actions(
        county.regulator, Complaint.objects.get(pk=c.pk)
    )
    c = workflow.complaint_act(
        actor=county.regulator,
        complaint_id=c.pk,
        action="decide_extension",
        approve=True,
        note="同意",
    )
    assert c.due_at == data["requested_due_at"]
    req = c.extensions.get()
    assert (req.decision, req.previous_due_at, req.decided_by) == (
        "approved",
        old_due,
        county.regulator,
    )
    entry = c.timeline.get(action="approve_extension")
    assert entry.payload["previous_due_at"] == old_due.isoformat()


def test_extension_requires_customer_told_and_later_date(county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    with pytest.raises(WorkflowError, match="向客户说明"):
        workflow.complaint_act(
            actor=county.a1_handler,
            complaint_id=c.pk,
            action="request_extension",
            **{**valid_data("request_extension", c, county), "customer_told": False},
        )
    with pytest.raises(WorkflowError, match="晚于当前答复期限"):
        workflow.complaint_act(
            actor=county.a1_handler,
            complaint_id=c.pk,
            action="request_extension",
            **{**valid_data("request_extension", c, county), "requested_due_at": c.due_at},
        )
    assert not c.extensions.exists()


def test_supervise_urges_without_changing_state_and_notifies(county, intake):
    from notifications.models import Notification

    c = complaint_in_state(county, intake(), "in_progress")
    c = workflow.complaint_act(
        actor=county.regulator,
        complaint_id=c.pk,
        action="supervise",
        note="请于周五前办结",
        expected_by=None,
    )
    assert c.status == "in_progress"
    assert c.urges.get().note == "请于周五前办结"
    assert Notification.objects.filter(recipient=county.a1_handler, kind="urged").count() == 1


def test_valid_complaint_against_staff_needs_opinion_on_staff(county, intake):
    c = complaint_in_state(county, intake(complained_staff_name="王五"), "in_progress")
    with pytest.raises(WorkflowError, match="处理意见"):
        workflow.complaint_act(
            actor=county.a1_handler,
            complaint_id=c.pk,
            action="resolve",
            **valid_data("resolve", c, county),
        )
    c = workflow.complaint_act(
        actor=county.a1_handler,
        complaint_id=c.pk,
        action="resolve",
        **{**valid_data("resolve", c, county), "staff_opinion": "通报批评并扣减绩效"},
    )
    assert c.status == "resolved"


def test_timeline_rows_are_immutable(county, intake):
    from django.core.exceptions import PermissionDenied

    c = complaint_in_state(county, intake(), "registered")
    entry = c.timeline.get()
    entry.note = "tampered"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
