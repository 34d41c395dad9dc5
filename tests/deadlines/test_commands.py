"""The duetime and load_sla_rules commands."""

import io

import pytest
from django.core.management import CommandError, call_command

from .factories import SlaRuleSetBindingFactory


def _duetime(*args) -> list[str]:
    out = io.StringIO()
    call_command("duetime", *args, stdout=out)
    return out.getvalue().splitlines()


def test_duetime_issue_example():
    lines = _duetime("2026-09-30 16:30", "complex")
    assert lines[-1] == "2026-10-10T17:00:00+08:00"
    assert lines[0] == "规则：县域投诉处理服务承诺 · 复杂投诉：3 个工作日（营业终了 17:00）"
    assert lines[1] == "受理时间：2026-09-30T16:30:00+08:00"


def test_duetime_simple():
    assert _duetime("2026-09-30 16:30", "simple")[-1] == "2026-09-30T17:00:00+08:00"


def test_duetime_marks_provisional_on_the_last_line():
    lines = _duetime("2026-12-31 10:00", "complex")
    assert lines[-1] == "2027-01-05T17:00:00+08:00 (provisional)"
    assert "结果为临时" in lines[-2]


def test_duetime_with_rule_set_and_offset_input():
    lines = _duetime("2026-09-16T02:00:00+00:00", "simple", "--rule-set", "cbirc-2020")
    assert lines[-1] == "2026-10-08T17:00:00+08:00"


def test_duetime_resolves_bindings(county, rule_sets):
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbirc-2020"], intake_source="regulator")
    lines = _duetime(
        "2026-09-16 10:00", "complex", "--intake-source", "regulator", "--institution", "A-OUT1"
    )
    assert lines[-1] == "2026-10-08T17:00:00+08:00"
    assert lines[0].startswith("规则：银行业保险业消费投诉处理管理办法（2020）")


def test_duetime_with_extension():
    assert _duetime("2026-09-30 16:30", "complex", "--extension-days", "2")[-1] == (
        "2026-10-13T17:00:00+08:00"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-02-30 10:00", "simple"), "无法识别的受理时间"),
        (("2026-09-30 16:30", "simple", "--rule-set", "nope"), "找不到规则组：nope"),
        (("2026-09-30 16:30", "simple", "--institution", "NOPE"), "找不到机构代码：NOPE"),
    ],
)
def test_duetime_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        _duetime(*args)


def test_load_sla_rules_command():
    out = io.StringIO()
    call_command("load_sla_rules", stdout=out)
    assert out.getvalue() == "规则组：新增 0，更新 0；规则：新增 0，更新 0。\n"
