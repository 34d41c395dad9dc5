"""The vocabulary of a return definition's ``spec`` (JSON), and its validation.

::

    {
      "institution": "complained",          # or "handling": whose row a complaint is in
      "columns": [
        {"header": "报送期间", "value": "period"},
        {"header": "机构代码", "value": "institution.code"},
        {"header": "投诉原因代码", "value": "C.code"},
        {"header": "受理数", "value": "received"}
      ],
      "code_lists": {"B": {"B01": "0101"}},  # optional: our code -> the office's code
      "validations": {"require_codes": ["A", "B", "C"], "totals_match_statistics": true}
    }

A column's ``value`` is a dimension (``DIMENSIONS``) or a measure (``MEASURES``).
``X.code`` is the code the return carries for dimension X: the definition's code list
when it has one for X, otherwise the taxonomy's ``official_code`` (JR/T 0169-2018).
The rows are grouped by every dimension the columns use (a definition without a C
column sums the causes). Each measure counts the same thing as the statistics page's
figure of the same name (supervision.selectors.statistics), which is what the
``totals_match_statistics`` check compares.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TAXONOMY = ("A", "B", "C")
#: The complaint field behind each taxonomy dimension.
TAXONOMY_FIELD = {"A": "channel", "B": "business", "C": "cause"}
INSTITUTION_FIELD = {"complained": "complained_institution", "handling": "handling_institution"}

DIMENSIONS = {
    "period": gettext_lazy("报送期间"),
    "institution.code": gettext_lazy("机构代码"),
    "institution.name": gettext_lazy("机构名称"),
    "institution.credit_code": gettext_lazy("统一社会信用代码"),
    "A.code": gettext_lazy("业务办理渠道代码"),
    "A.internal": gettext_lazy("业务办理渠道内部代码"),
    "A.name": gettext_lazy("业务办理渠道"),
    "B.code": gettext_lazy("业务类别代码"),
    "B.internal": gettext_lazy("业务类别内部代码"),
    "B.name": gettext_lazy("业务类别"),
    "C.code": gettext_lazy("投诉原因代码"),
    "C.internal": gettext_lazy("投诉原因内部代码"),
    "C.name": gettext_lazy("投诉原因"),
}

#: Measure -> its label. Each is also an attribute of statistics.Statistics (``closed``
#: is the page's 已反馈, ``late`` its 超时 including open overdue cases).
MEASURES = {
    "received": gettext_lazy("受理数"),
    "closed": gettext_lazy("办结数（已反馈）"),
    "answered": gettext_lazy("已反馈"),
    "on_time": gettext_lazy("按时办结数"),
    "answered_late": gettext_lazy("超时办结数"),
    "open_overdue": gettext_lazy("逾期未办结数"),
    "late": gettext_lazy("超时数（含逾期未办结）"),
    "pending": gettext_lazy("未到期未办结数"),
    "statutory_on_time": gettext_lazy("法定时限内答复数"),
    "statutory_answered_late": gettext_lazy("超过法定时限答复数"),
    "statutory_open_overdue": gettext_lazy("超过法定时限未办结数"),
    "satisfied": gettext_lazy("满意数"),
    "basically_satisfied": gettext_lazy("基本满意数"),
    "unsatisfied": gettext_lazy("不满意数"),
    "repeat": gettext_lazy("重复投诉数"),
    "major": gettext_lazy("重大投诉数"),
    "refused": gettext_lazy("不予受理数"),
    "transferred": gettext_lazy("移送数"),
    "withdrawn": gettext_lazy("撤诉数"),
    "money_recovered": gettext_lazy("挽回经济损失（元）"),
}
#: The statistics attribute a measure is compared with, where the name differs.
STATISTICS_NAME = {"closed": "answered"}

VALIDATIONS = ("require_codes", "totals_match_statistics")


def spec_errors(spec: Any) -> list[str]:
    """What is wrong with ``spec`` (empty when it is usable), in the user's language:
    the admin refuses to save a definition the generator could not follow."""
    if not isinstance(spec, dict):
        return [_("格式定义应为 JSON 对象。")]
    errors: list[str] = []
    unknown = set(spec) - {"institution", "columns", "code_lists", "validations"}
    if unknown:
        errors.append(_("未知的键：%(keys)s。") % {"keys": "、".join(sorted(unknown))})
    if spec.get("institution", "complained") not in INSTITUTION_FIELD:
        errors.append(_("institution 应为 complained 或 handling。"))
    columns = spec.get("columns")
    if not isinstance(columns, list) or not columns:
        errors.append(_("columns 应为非空列表。"))
        columns = []
    for n, column in enumerate(columns, start=1):
        if not isinstance(column, dict) or not isinstance(column.get("header"), str):
            errors.append(_("第 %(n)d 列应有 header（列名）。") % {"n": n})
            continue
        value = column.get("value")
        if value not in DIMENSIONS and value not in MEASURES:
            errors.append(_("第 %(n)d 列的取值“%(v)s”未定义。") % {"n": n, "v": value})
    if columns and not any(isinstance(c, dict) and c.get("value") in MEASURES for c in columns):
        errors.append(_("至少需要一个统计指标列。"))
    code_lists = spec.get("code_lists", {})
    if not isinstance(code_lists, dict) or not all(
        d in TAXONOMY
        and isinstance(m, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in m.items())
        for d, m in code_lists.items()
    ):
        errors.append(_('code_lists 应为 {"A|B|C": {内部代码: 报送代码}}。'))
    validations = spec.get("validations", {})
    if not isinstance(validations, dict) or set(validations) - set(VALIDATIONS):
        errors.append(_("validations 只能包含 require_codes 和 totals_match_statistics。"))
    else:
        required = validations.get("require_codes", [])
        if not isinstance(required, list) or set(required) - set(TAXONOMY):
            errors.append(_("require_codes 应为 A、B、C 的列表。"))
    return errors


def dimensions_used(spec: dict) -> list[str]:
    """The taxonomy dimensions the columns use (the rows are grouped by them)."""
    values = [c["value"] for c in spec["columns"]]
    return [d for d in TAXONOMY if any(v.startswith(f"{d}.") for v in values)]


def uses_institution(spec: dict) -> bool:
    return any(c["value"].startswith("institution.") for c in spec["columns"])


def measures_used(spec: dict) -> list[str]:
    return [c["value"] for c in spec["columns"] if c["value"] in MEASURES]
