import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaints import services
from complaints.errors import WorkflowError
from complaints.models import Complaint, TimelineEntry

from .helpers import register

TZ = ZoneInfo("Asia/Shanghai")


def test_register_stamps_number_responsibility_and_deadline(county, intake):
    received = dt.datetime(2026, 9, 30, 16, 30, tzinfo=TZ)
    c = register(county, intake(received_at=received))
    assert c.tracking_no == "A-OUT1-20260930-001"
    assert (c.status, c.first_responder, c.accepting_institution, c.handling_institution) == (
        "registered",
        county.a_teller,
        county.a_out1,
        county.a_out1,
    )
    assert c.complexity == "simple"
    # Simple: same working day at close of business.
    assert c.due_at == dt.datetime(2026, 9, 30, 17, 0, tzinfo=TZ)
    entry = TimelineEntry.objects.get(complaint=c)
    assert (entry.action, entry.actor, entry.to_status) == (
        "register",
        county.a_teller,
        "registered",
    )


def test_complex_category_gets_three_working_days_over_national_day(county, intake, categories):
    received = dt.datetime(2026, 9, 30, 16, 30, tzinfo=TZ)
    c = register(county, intake(received_at=received, category=categories["服务产品"]))
    assert c.complexity == "complex"
    assert c.due_at == dt.datetime(2026, 10, 10, 17, 0, tzinfo=TZ)


def test_tracking_numbers_count_per_institution_and_day(county, intake):
    received = dt.datetime(2026, 9, 29, 9, 0, tzinfo=TZ)
    nos = [
        register(
            county, intake(received_at=received, complainant_phone=f"1391234567{i}")
        ).tracking_no
        for i in range(3)
    ]
    assert nos == ["A-OUT1-20260929-001", "A-OUT1-20260929-002", "A-OUT1-20260929-003"]


def test_raising_to_complex_needs_a_reason(county, intake):
    with pytest.raises(WorkflowError, match="理由"):
        register(county, intake(raise_to_complex=True))
    c = register(county, intake(raise_to_complex=True, complexity_reason="涉及多个部门"))
    assert (c.complexity, c.complexity_reason) == ("complex", "涉及多个部门")
    assert Complaint.objects.count() == 1


def test_repeat_complaint_is_flagged_and_linked(county, intake):
    first = register(county, intake())
    second = register(county, intake(complainant_phone="13900000000"))  # same ID number
    other_bank = register(
        county,
        intake(complained_institution=county.a_out2, id_number="", id_type=""),
        actor=county.a_manager,
    )
    assert (second.is_repeat, second.repeat_of) == (True, first)
    assert first.is_repeat is False
    # Same phone but another institution: not a repeat.
    assert other_bank.is_repeat is False


def test_repeat_window_is_90_days(county, intake):
    old = dt.datetime(2026, 5, 1, 10, 0, tzinfo=TZ)
    register(county, intake(received_at=old))
    later = register(county, intake(received_at=old + dt.timedelta(days=91)))
    assert later.is_repeat is False
    within = register(county, intake(received_at=old + dt.timedelta(days=60)))
    assert within.is_repeat is True


def test_authentication_data_is_never_stored(county, intake):
    c, warnings = services.complaint_register(
        actor=county.a_teller,
        data=intake(description="我的卡号 6222021234567890123 CVN 321 密码 888888 被盗刷"),
    )
    stored = Complaint.objects.get(pk=c.pk).description
    assert "888888" not in stored
    assert "321" not in stored
    assert "6222021234567890123" not in stored
    assert "0123" in stored
    assert warnings


def test_register_outside_scope_writes_nothing(county, intake):
    with pytest.raises(WorkflowError, match="管辖范围"):
        register(county, intake(complained_institution=county.bank_b))
    assert not Complaint.objects.exists()


def test_negative_amount_refused(county, intake):
    with pytest.raises(WorkflowError, match="负数"):
        register(county, intake(amount=Decimal("-1")))


def test_major_complaint_is_reported_to_regulator_at_registration(county, intake):
    from notifications.models import Notification

    c = register(county, intake(is_major=True))
    assert c.reported_to_regulator_at is not None
    assert list(c.timeline.values_list("action", flat=True)) == ["register", "report_major"]
    assert Notification.objects.filter(recipient=county.regulator, kind="major").count() == 1


def test_regulator_dispatch_is_one_record_with_two_rows(county, intake):
    from notifications.models import Notification

    c, _ = services.complaint_dispatch(
        actor=county.regulator,
        data=intake(intake_source="phone", complained_institution=county.b_out1),
        institution=county.bank_b,
        handler=county.b_handler,
    )
    assert Complaint.objects.count() == 1
    assert (c.accepting_institution, c.handling_institution, c.handler, c.status) == (
        county.pbc,
        county.bank_b,
        county.b_handler,
        "assigned",
    )
    assert list(c.timeline.values_list("action", flat=True)) == ["register", "assign"]
    note = Notification.objects.get(recipient=county.b_handler)
    assert note.kind == "dispatched"
