"""The import applies the rules of the other doors: the person complained about is
linked to the staff when the name is unambiguous, the handler is never that person
(非当事人), texts and names are limited and cleaned, phones stored as digits, and
amounts must be sane. A refused row names its column; nothing is written."""

from decimal import Decimal

import pytest

from complaints import imports
from complaints.fields import LONG_TEXT_MAX, MAX_AMOUNT, NAME_MAX
from complaints.models import Complaint
from institutions.enums import Role
from tests.institutions.factories import UserFactory

COLUMNS = [
    "受理时间",
    "投诉来源",
    "投诉人姓名",
    "联系电话",
    "投诉事项",
    "投诉诉求",
    "被投诉机构代码",
    "处理类别",
    "状态",
    "被投诉人员",
    "处理人",
    "涉及金额",
]


def row(**overrides) -> dict[str, str]:
    values = {
        "受理时间": "2025-03-15 09:30",
        "投诉来源": "电话",
        "投诉人姓名": "王五",
        "联系电话": "13812340000",
        "投诉事项": "ATM吞卡",
        "投诉诉求": "退卡",
        "被投诉机构代码": "BANK-A",
        "处理类别": "服务渠道",
        "状态": "处理中",
        "被投诉人员": "",
        "处理人": "",
        "涉及金额": "",
    }
    values.update(overrides)
    return {c: values[c] for c in COLUMNS}


# ``calendar`` loads the SLA rules the import stamps deadlines with (a transactional
# test elsewhere flushes what the migrations seeded).


def run(county, *rows):
    result = imports.preview(actor=county.a_manager, rows=list(rows))
    if result.ok:
        imports.import_rows(actor=county.a_manager, preview_result=result, source="t.csv")
    return result


def errors(result) -> dict[str, str]:
    return {e.column: e.message for e in result.errors}


def test_complained_staff_is_linked_when_the_name_is_one_persons(county, categories, calendar):
    county.a_handler.full_name = "张伟"
    county.a_handler.save()
    result = run(county, row(被投诉人员="张伟", 处理人="a_mgr"))
    assert result.ok, errors(result)
    c = Complaint.objects.get()
    assert (c.complained_staff, c.complained_staff_name, c.handler) == (
        county.a_handler,
        "张伟",
        county.a_manager,
    )


def test_an_ambiguous_or_unknown_name_stays_free_text(county, categories, calendar):
    for user in (county.a_handler, county.a1_handler):
        user.full_name = "张伟"
        user.save()
    result = run(
        county, row(被投诉人员="张伟"), row(被投诉人员="外包保安李雷", 联系电话="13812340001")
    )
    assert result.ok, errors(result)
    assert sorted(
        Complaint.objects.values_list("complained_staff_id", "complained_staff_name")
    ) == [
        (None, "外包保安李雷"),
        (None, "张伟"),
    ]


def test_the_handler_cannot_be_the_person_complained_about(county, categories, calendar):
    county.a_handler.full_name = "张伟"
    county.a_handler.save()
    for handler in ("a_hdl", "张伟"):
        result = run(county, row(被投诉人员="张伟", 处理人=handler))
        assert errors(result) == {"处理人": "处理人不能是被投诉的当事人（非当事人原则）。"}
    assert not Complaint.objects.exists()


def test_a_handler_named_like_an_outsider_complained_about_is_refused(county, categories, calendar):
    """The staff member is outside the system (free text) but bears the handler's
    name: the import cannot tell them apart, so it does not make them the handler."""
    county.a_manager.full_name = "赵敏"
    county.a_manager.save()
    result = run(county, row(被投诉人员="赵敏", 处理人="a_mgr"))
    assert set(errors(result)) == {"处理人"}


@pytest.mark.parametrize("handler", ["nobody", "b_hdl", "a_tel"])
def test_the_handler_must_handle_complaints_at_the_handling_institution(
    county, categories, handler
):
    result = run(county, row(处理人=handler))
    assert set(errors(result)) == {"处理人"}


def test_a_full_name_two_handlers_share_asks_for_the_user_name(county, categories, calendar):
    UserFactory(username="a_hdl2", role=Role.HANDLER, institution=county.bank_a, full_name="刘洋")
    county.a_handler.full_name = "刘洋"
    county.a_handler.save()
    assert "用户名" in errors(run(county, row(处理人="刘洋")))["处理人"]
    assert run(county, row(处理人="a_hdl2")).ok


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "不能为负数。"),
        (str(MAX_AMOUNT + 1), "金额过大"),
        ("1e20", "金额过大"),
        ("NaN", "应为数字。"),
        ("Infinity", "应为数字。"),
        ("12.345", "最多两位小数。"),
        ("十元", "应为数字。"),
    ],
)
def test_negative_or_absurd_amounts_are_refused(county, categories, calendar, value, message):
    result = run(county, row(涉及金额=value))
    assert message in errors(result)["涉及金额"]
    assert not Complaint.objects.exists()


def test_a_sane_amount_is_stored(county, categories, calendar):
    assert run(county, row(涉及金额="1,200.50")).ok
    assert Complaint.objects.get().amount == Decimal("1200.50")


def test_texts_have_the_forms_limits(county, categories, calendar):
    result = run(county, row(投诉事项="诉" * (LONG_TEXT_MAX + 1), 投诉人姓名="李" * (NAME_MAX + 1)))
    assert set(errors(result)) == {"投诉事项", "投诉人姓名"}
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("name", "column"),
    [("\u200b\u200b", "投诉人姓名"), ("\u202e王五", "投诉人姓名"), ("\u202e张伟", "被投诉人员")],
)
def test_invisible_or_right_to_left_names_are_refused(county, categories, calendar, name, column):
    result = run(county, row(**{column: name}))
    assert set(errors(result)) == {column}


def test_names_texts_and_phones_are_stored_clean(county, categories, calendar):
    result = run(
        county, row(投诉人姓名=" 王\u200b五 ", 联系电话="0319-6921234", 投诉事项="ATM\x07吞卡")
    )
    assert result.ok, errors(result)
    c = Complaint.objects.get()
    assert (c.complainant_name, c.complainant_phone, c.description) == (
        "王五",
        "03196921234",
        "ATM吞卡",
    )
