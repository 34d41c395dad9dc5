"""The columns of a historical-complaint file and the values its coded columns take.

A coded column accepts the stored code or the Chinese label, **whatever the language
of the person importing**: the file is data, not interface, and the same file must give
the same result in either language (docs/import.md has the table). Every coded value is
stored as its code.
"""

from __future__ import annotations

from functools import cache

from django.db.models import TextChoices
from django.utils import translation

from ..enums import ComplaintKind, ComplaintStatus, IdType, IntakeSource, Satisfaction
from ..fields import LINE_MAX, LONG_TEXT_MAX

# Chinese column name -> internal key. Required columns are marked.
COLUMNS = {
    "原投诉编号": "original_no",
    "受理时间": "received_at",  # required
    "投诉来源": "intake_source",  # required
    "类型": "kind",
    "投诉人姓名": "complainant_name",  # required
    "联系电话": "complainant_phone",  # required
    "证件类型": "id_type",
    "证件号码": "id_number",
    "联系地址": "contact_address",
    "投诉事项": "description",  # required
    "投诉诉求": "demand",  # required
    "涉及金额": "amount",
    "被投诉机构代码": "complained_institution",  # required
    "处理机构代码": "handling_institution",
    "业务类别代码": "business",
    "投诉原因代码": "cause",
    "处理类别": "category",  # required
    "状态": "status",  # required
    "办结时间": "resolved_at",
    "反馈时间": "answered_at",
    "满意度": "satisfaction",
    "是否有效投诉": "is_valid",
    "挽回损失": "money_recovered",
    "处理情况": "findings",
    "被投诉人员": "complained_staff_name",
    "处理人": "handler",
}
ORIGINAL_NO_MAX = 64
# Free text: column key -> limit (complaints/fields.py, as in the forms and the API).
TEXT_LIMITS = {
    "original_no": ORIGINAL_NO_MAX,
    "id_number": 32,
    "contact_address": LINE_MAX,
    "description": LONG_TEXT_MAX,
    "demand": LONG_TEXT_MAX,
    "findings": LONG_TEXT_MAX,
}
REQUIRED = [
    "受理时间",
    "投诉来源",
    "投诉人姓名",
    "联系电话",
    "投诉事项",
    "投诉诉求",
    "被投诉机构代码",
    "处理类别",
    "状态",
]
# Coded columns: column -> (key, choices).
CODED: dict[str, tuple[str, type[TextChoices]]] = {
    "投诉来源": ("intake_source", IntakeSource),
    "类型": ("kind", ComplaintKind),
    "状态": ("status", ComplaintStatus),
    "满意度": ("satisfaction", Satisfaction),
    "证件类型": ("id_type", IdType),
}
# 是否有效投诉: Chinese words and the usual spreadsheet spellings.
YES_NO = {"是": True, "否": False, "1": True, "0": False, "true": True, "false": False}
# Historical files only carry finished cases or cases still being handled.
IMPORTABLE_STATES = {
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.RESOLVED,
    ComplaintStatus.ANSWERED,
    ComplaintStatus.ARCHIVED,
    ComplaintStatus.REFUSED,
    ComplaintStatus.TRANSFERRED,
}


def column_of(key: str) -> str:
    return next(c for c, k in COLUMNS.items() if k == key)


@cache
def accepted_values(choices: type[TextChoices]) -> dict[str, str]:
    """Every spelling a coded column accepts -> its code: the code itself and the
    Chinese label (read with Chinese active, so the user's language changes nothing)."""
    with translation.override("zh-hans"):
        values = {str(label): code for code, label in choices.choices}
    values.update({code: code for code in choices.values})
    return values


def choice_code(value: str, choices: type[TextChoices]) -> str | None:
    return accepted_values(choices).get(value.strip())
