"""The two clocks on real 2026 dates, with frozen time: the statutory limit from the
rule pack (calendar days, the end moved past rest days), its extension to 30 and 60
days, pauses across the National Day holiday, a refiling with new facts, merging,
withdrawal, and what the sweep does with paused cases.

2026 calendar (State Council): Mid-Autumn Friday 09-25 and National Day
10-01..10-07 off, Saturday 10-10 a make-up working day; Dragon Boat 06-19..06-21
off."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.errors import PermissionRefused, WorkflowError
from complaints.models import Complaint, ComplaintPause, StatutoryRulePack, TimelineEntry
from complaints.selectors import overdue_q, statutory_overdue_q
from complaints.sweep import deadline_sweep
from complaints.workflow import available_actions, complaint_act
from institutions.enums import Role
from notifications.models import Notification
from tests.institutions.factories import UserFactory

from .helpers import register

TZ = ZoneInfo("Asia/Shanghai")


def t(month, day, hour=10, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def act(actor, c, action, **data):
    return complaint_act(actor=actor, complaint_id=c.pk, action=action, **data)


@pytest.fixture
def complex_case(county, intake, categories):
    """A complex complaint (3 working days promised) received Monday 2026-09-21 at
    10:00, assigned to bank A's first outlet's handler and in progress."""

    def _make(when=None, **overrides):
        when = when or t(9, 21)
        with time_machine.travel(when, tick=False):
            c = register(county, intake(category=categories["违规操作"], **overrides))
            act(
                county.a_manager,
                c,
                "assign",
                institution=county.a_out1,
                handler=county.a1_handler,
            )
            act(county.a1_handler, c, "start")
        return Complaint.objects.get(pk=c.pk)

    return _make


def test_registration_stamps_both_clocks_from_the_pack_in_force(complex_case):
    c = complex_case()
    assert c.statutory_pack.version == "cbirc-2020"
    assert c.statutory_days == 15
    # Service promise: three working days, Thursday 17:00.
    assert c.due_at == t(9, 24, 17)
    # Statutory: 15 calendar days from Monday 09-21 is Tuesday 10-06, inside the
    # National Day holiday: the next working day, Thursday 10-08 (民法典 第二百零三条).
    assert c.statutory_due_at == t(10, 8, 17)
    assert c.statutory_remind_at == t(10, 5, 17)


def test_pause_across_national_day_moves_each_clock_in_its_own_unit(county, complex_case):
    c = complex_case()
    with time_machine.travel(t(9, 23), tick=False):
        act(
            county.a1_handler,
            c,
            "pause",
            reason="appraisal",
            consumer_told_via="phone",
            note="银行卡送司法鉴定",
        )
    c.refresh_from_db()
    assert c.paused_at == t(9, 23)
    with time_machine.travel(t(10, 9, 11), tick=False):
        act(county.a1_handler, c, "resume", note="鉴定结论已出")
    c.refresh_from_db()
    assert c.paused_at is None
    pause = ComplaintPause.objects.get(complaint=c)
    # Statutory: 09-23 to 10-09 is 16 calendar days; 15 + 16 = 31 days from 09-21 is
    # Thursday 10-22.
    assert (pause.statutory_days, c.statutory_paused_days) == (16, 16)
    assert c.statutory_due_at == t(10, 22, 17)
    # Promise: the working days after 09-23 up to 10-09 are 09-24, 09-28, 09-29,
    # 09-30, 10-08 and 10-09 (Mid-Autumn 09-25 and the National Day week do not
    # count): 6. Thursday 09-24 plus 6 working days lands on the make-up Saturday 10-10.
    assert pause.promise_days == 6
    assert c.due_at == t(10, 10, 17)
    assert c.remind_at == t(10, 10, 15)
    resumed = TimelineEntry.objects.get(complaint=c, action="resume")
    assert resumed.payload["statutory_due_at"] == t(10, 22, 17).isoformat()
    assert resumed.payload["promise_working_days"] == 6


def test_pause_and_resume_the_same_day_moves_nothing(county, complex_case):
    c = complex_case()
    with time_machine.travel(t(9, 22, 9), tick=False):
        act(county.a1_handler, c, "pause", reason="materials", consumer_told_via="sms")
    with time_machine.travel(t(9, 22, 16), tick=False):
        act(county.a1_handler, c, "resume")
    c.refresh_from_db()
    assert (c.due_at, c.statutory_due_at) == (t(9, 24, 17), t(10, 8, 17))


def test_pause_refuses_unknown_reason_and_consumer_told_in_the_future(county, complex_case):
    c = complex_case()
    with time_machine.travel(t(9, 22), tick=False):
        with pytest.raises(WorkflowError) as bad_reason:
            act(county.a1_handler, c, "pause", reason="holiday", consumer_told_via="phone")
        with pytest.raises(WorkflowError) as future:
            act(
                county.a1_handler,
                c,
                "pause",
                reason="testing",
                consumer_told_via="phone",
                consumer_told_at=t(9, 25),
            )
    assert (bad_reason.value.code, future.value.code) == ("missing_field", "bad_time")
    assert not ComplaintPause.objects.filter(complaint=c).exists()


def test_a_paused_case_is_resumed_before_it_is_resolved(county, complex_case):
    c = complex_case()
    with time_machine.travel(t(9, 22), tick=False):
        act(county.a1_handler, c, "pause", reason="testing", consumer_told_via="phone")
        c.refresh_from_db()
        offered = {a.name for a in available_actions(county.a1_handler, c)}
        with pytest.raises(WorkflowError) as refused:
            act(
                county.a1_handler,
                c,
                "resolve",
                findings="属实",
                is_valid=False,
                measures="解释",
            )
    assert {"resolve", "pause", "resume"} & offered == {"resume"}
    assert refused.value.code == "paused"


def test_extension_to_30_then_60_days(county, complex_case):
    c = complex_case(when=t(6, 1))
    assert c.statutory_due_at == t(6, 16, 17)
    with time_machine.travel(t(6, 10), tick=False):
        act(
            county.a_manager,
            c,
            "extend_statutory",
            days=30,
            reason="涉及多笔交易，情况复杂",
            consumer_told_via="phone",
        )
    c.refresh_from_db()
    assert (c.statutory_days, c.statutory_due_at) == (30, t(7, 1, 17))
    with time_machine.travel(t(6, 25), tick=False):
        act(
            county.a_manager,
            c,
            "extend_statutory",
            days=60,
            reason="需总行协调，情况特别复杂",
            consumer_told_via="letter",
            consumer_told_at=t(6, 24, 15),
        )
    c.refresh_from_db()
    assert (c.statutory_days, c.statutory_due_at) == (60, t(7, 31, 17))
    rows = TimelineEntry.objects.filter(complaint=c, action="extend_statutory")
    assert [(r.payload["days"], r.payload["approved_as"]) for r in rows] == [
        (30, "handling_manager"),
        (60, "superior_manager"),
    ]
    assert rows[1].payload["consumer_told_at"] == t(6, 24, 15).isoformat()
    assert rows[1].payload["consumer_told_via"] == "letter"
    # At the longest limit there is nothing left to extend.
    assert "extend_statutory" not in {a.name for a in available_actions(county.a_manager, c)}


def test_extension_to_60_needs_a_superior_manager(county, complex_case):
    """The outlet's own manager may extend to 30 days; 60 needs the institution
    above (上级机构或总行), as the pack names it."""
    outlet_manager = UserFactory(username="a1_mgr", role=Role.MANAGER, institution=county.a_out1)
    c = complex_case(when=t(6, 1))
    with time_machine.travel(t(6, 10), tick=False):
        with pytest.raises(PermissionRefused):
            act(
                outlet_manager,
                c,
                "extend_statutory",
                days=60,
                reason="特别复杂",
                consumer_told_via="phone",
            )
        with pytest.raises(WorkflowError) as bad_days:
            act(
                outlet_manager,
                c,
                "extend_statutory",
                days=45,
                reason="特别复杂",
                consumer_told_via="phone",
            )
        act(
            outlet_manager,
            c,
            "extend_statutory",
            days=30,
            reason="情况复杂",
            consumer_told_via="phone",
        )
    assert bad_days.value.code == "bad_days"
    c.refresh_from_db()
    assert c.statutory_days == 30


def test_refiling_with_new_facts_restarts_the_statutory_clock(county, complex_case):
    c = complex_case(when=t(6, 1))
    with time_machine.travel(t(6, 10, 9), tick=False):
        act(county.a1_handler, c, "refile", new_facts="客户提供了新的扣款记录")
    c.refresh_from_db()
    # 15 days from 06-10: Thursday 06-25.
    assert c.statutory_start_at == t(6, 10, 9)
    assert c.statutory_due_at == t(6, 25, 17)
    # The service promise is the institution's own and does not restart.
    assert c.due_at == t(6, 4, 17)


def test_merge_within_the_period(county, complex_case, intake, categories):
    primary = complex_case(when=t(6, 1))
    with time_machine.travel(t(6, 5), tick=False):
        # The same customer (same ID number) calls again from a new phone, no new facts.
        duplicate = register(
            county,
            intake(
                complainant_phone="13900001111",
                contact_address="河北省邢台市清河县新华路8号",
                category=categories["违规操作"],
            ),
        )
        act(county.a_teller, duplicate, "merge", primary=primary, note="同一事项再次来电")
    duplicate.refresh_from_db()
    primary.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", primary.pk)
    assert duplicate.closed_at == t(6, 5)
    # The new contact details reach the primary; its clock runs on unchanged.
    assert primary.complainant_phone == "13900001111"
    assert primary.contact_address == "河北省邢台市清河县新华路8号"
    assert primary.statutory_due_at == t(6, 16, 17)
    dup_row = TimelineEntry.objects.get(complaint=duplicate, action="merge")
    primary_row = TimelineEntry.objects.get(complaint=primary, action="merged_in")
    assert dup_row.payload["primary_no"] == primary.tracking_no
    assert primary_row.payload["duplicate_no"] == duplicate.tracking_no
    assert sorted(primary_row.payload["contact_updated"]) == [
        "complainant_phone",
        "contact_address",
    ]


def test_merge_with_new_facts_restarts_the_primary_clock(county, complex_case, intake):
    primary = complex_case(when=t(6, 1))
    with time_machine.travel(t(6, 8, 14), tick=False):
        duplicate = register(county, intake())
        act(county.a_teller, duplicate, "merge", primary=primary, new_facts=True)
    primary.refresh_from_db()
    # Restarted from the new filing (06-08): 15 days is Tuesday 06-23.
    assert primary.statutory_start_at == t(6, 8, 14)
    assert primary.statutory_due_at == t(6, 23, 17)


def test_merge_refuses_a_primary_of_another_customer(county, complex_case, intake):
    other = complex_case(
        when=t(6, 1), complainant_phone="13700000000", id_number="110101199001011237"
    )
    with time_machine.travel(t(6, 2), tick=False):
        complex_case(when=t(6, 1, 9))  # the customer's own open complaint
        duplicate = register(county, intake())
        with pytest.raises(WorkflowError) as refused:
            act(county.a_teller, duplicate, "merge", primary=other)
    assert refused.value.code == "bad_primary"
    duplicate.refresh_from_db()
    assert duplicate.status == "registered"


def test_withdrawal_ends_the_case_on_the_day_received(county, complex_case):
    c = complex_case(when=t(6, 1))
    with time_machine.travel(t(6, 5, 9), tick=False):
        with pytest.raises(WorkflowError) as future:
            act(county.a1_handler, c, "withdraw", withdrawn_on=dt.date(2026, 6, 6), channel="phone")
        with pytest.raises(WorkflowError) as early:
            act(
                county.a1_handler, c, "withdraw", withdrawn_on=dt.date(2026, 5, 31), channel="phone"
            )
        with pytest.raises(WorkflowError) as channel:
            act(county.a1_handler, c, "withdraw", withdrawn_on=dt.date(2026, 6, 3), channel="fax")
        act(county.a1_handler, c, "withdraw", withdrawn_on=dt.date(2026, 6, 3), channel="letter")
    assert (future.value.code, early.value.code, channel.value.code) == (
        "bad_date",
        "bad_date",
        "missing_field",
    )
    c.refresh_from_db()
    assert c.status == "withdrawn"
    assert (c.withdrawn_on, c.withdrawal_channel) == (dt.date(2026, 6, 3), "letter")
    row = TimelineEntry.objects.get(complaint=c, action="withdraw")
    assert row.payload == {"withdrawn_on": "2026-06-03", "channel": "letter"}
    assert available_actions(county.a1_handler, c) == []


def test_paused_cases_are_not_swept_nor_overdue(county, complex_case):
    c = complex_case(when=t(6, 1))
    with time_machine.travel(t(6, 2), tick=False):
        act(county.a1_handler, c, "pause", reason="assessment", consumer_told_via="phone")
    # Past both the promise (06-04) and the statutory limit (06-16).
    with time_machine.travel(t(6, 20), tick=False):
        result = deadline_sweep()
        assert not Complaint.objects.filter(overdue_q(), pk=c.pk).exists()
        assert not Complaint.objects.filter(statutory_overdue_q(), pk=c.pk).exists()
        c.refresh_from_db()
        assert (c.is_overdue, c.statutory_overdue) == (False, False)
    assert (result.reminded, result.overdue, result.escalated) == (0, 0, 0)
    assert (result.statutory_reminded, result.statutory_overdue) == (0, 0)
    assert (c.reminded_at, c.overdue_at, c.statutory_overdue_at) == (None, None, None)


def test_sweep_warns_on_the_statutory_limit(county, complex_case):
    c = complex_case(when=t(6, 1))  # statutory due 06-16 17:00, reminder 06-13 17:00
    with time_machine.travel(t(6, 13, 18), tick=False):
        first = deadline_sweep()
        again = deadline_sweep()
    assert (first.statutory_reminded, again.statutory_reminded) == (1, 0)
    with time_machine.travel(t(6, 17, 9), tick=False):
        late = deadline_sweep()
    assert late.statutory_overdue == 1
    keys = set(
        Notification.objects.filter(recipient=county.a1_handler).values_list(
            "dedupe_key", flat=True
        )
    )
    c.refresh_from_db()
    assert c.statutory_due_at == t(6, 16, 17)
    due = c.statutory_due_at.isoformat()
    assert {f"statutory_due_soon:{c.pk}:{due}", f"statutory_overdue:{c.pk}:{due}"} <= keys
    actions = list(
        TimelineEntry.objects.filter(complaint=c, action__startswith="statutory").values_list(
            "action", flat=True
        )
    )
    assert actions == ["statutory_remind", "statutory_overdue"]


def test_a_long_pause_raises_one_notice_to_the_managers(county, complex_case, settings):
    settings.COMPLAINT_PAUSE_NOTICE_DAYS = 10
    c = complex_case(when=t(6, 1))
    with time_machine.travel(t(6, 2), tick=False):
        act(county.a1_handler, c, "pause", reason="appraisal", consumer_told_via="phone")
    with time_machine.travel(t(6, 11), tick=False):
        assert deadline_sweep().long_pauses == 0
    with time_machine.travel(t(6, 12, 11), tick=False):
        assert deadline_sweep().long_pauses == 1
        assert deadline_sweep().long_pauses == 0
    notices = Notification.objects.filter(complaint=c, dedupe_key__startswith="pause_long:")
    assert list(notices.values_list("recipient", flat=True)) == [county.a_manager.pk]
    assert TimelineEntry.objects.filter(complaint=c, action="pause_long").count() == 1


def test_a_new_pack_applies_from_its_date_and_never_rewrites_earlier_cases(county, complex_case):
    before = complex_case(when=t(6, 1))
    StatutoryRulePack.objects.create(
        version="test-2026-07",
        name="修订后的办法（测试）",
        effective_from=dt.date(2026, 7, 1),
        base_days=10,
        complex_days=20,
        special_days=40,
    )
    after = complex_case(when=t(7, 6))
    before.refresh_from_db()
    assert (before.statutory_pack.version, before.statutory_due_at) == (
        "cbirc-2020",
        t(6, 16, 17),
    )
    # 10 days from Monday 07-06: Thursday 07-16.
    assert (after.statutory_pack.version, after.statutory_due_at) == (
        "test-2026-07",
        t(7, 16, 17),
    )


def test_statistics_and_board_report_each_clock_and_paused_cases(county, complex_case):
    from supervision.selectors.board import supervision_board
    from supervision.selectors.statistics import complaint_statistics

    answered = complex_case(when=t(6, 1))
    paused = complex_case(when=t(6, 1, 11))
    complex_case(when=t(6, 1, 12))  # left open past both limits
    with time_machine.travel(t(6, 3), tick=False):
        act(
            county.a1_handler, answered, "resolve", findings="属实", is_valid=False, measures="解释"
        )
        act(county.a1_handler, answered, "answer", method="phone", satisfaction="satisfied")
        act(county.a1_handler, paused, "pause", reason="appraisal", consumer_told_via="phone")
    stats = complaint_statistics(
        county.regulator, start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30), now=t(6, 20)
    )
    assert (stats.on_time, stats.open_overdue, stats.paused) == (1, 1, 1)
    assert (stats.statutory_on_time, stats.statutory_late) == (1, 1)
    assert stats.statutory_on_time_rate == 0.5
    board = supervision_board(county.regulator, now=t(6, 20))
    assert (board.total.overdue, board.total.paused, board.total.statutory_overdue) == (1, 1, 1)
