"""The xlsx template for the import of historical complaints (complaints.imports):
the header row and an example row on the first sheet (the one the importer reads), and
on a second sheet the values each coded column accepts — intake sources, types,
states, satisfaction, handling categories, business and cause codes, and the codes of
the institutions the user may import for.

Everything is derived from the importer's own definitions (``COLUMNS``, ``REQUIRED``,
``IMPORTABLE_STATES``, the enums and the reference tables), so the template cannot
drift from what the importer accepts; a test imports the example row.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from institutions import access
from institutions.models import User

from .enums import ComplaintKind, ComplaintStatus, IntakeSource, Satisfaction
from .imports import COLUMNS, IMPORTABLE_STATES, REQUIRED
from .models import HandlingCategory, TaxonomyCode

REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E1")
OPTIONAL_FILL = PatternFill("solid", fgColor="EEF2F7")
BOLD = Font(bold=True)
EXAMPLE_FONT = Font(italic=True, color="666666")

Pairs = Iterable[tuple[str, str]]


def _institutions(user: User) -> Pairs:
    visible = access.institutions_visible_to(user).exclude(kind="regulator").order_by("path")
    return ((i.code, i.name) for i in visible)


def _codes(dimension: str) -> Callable[[User], Pairs]:
    def pairs(user: User) -> Pairs:
        codes = TaxonomyCode.objects.filter(dimension=dimension).order_by("code")
        return ((c.code, c.name) for c in codes)

    return pairs


def _labels(values) -> Callable[[User], Pairs]:
    # The importer accepts the code or the Chinese label; the label is what people type.
    return lambda user: ((str(label), code) for code, label in values)


#: internal key of a coded column -> the values it accepts, as (value, note) pairs.
CODE_LISTS: dict[str, Callable[[User], Pairs]] = {
    "intake_source": _labels(IntakeSource.choices),
    "kind": _labels(ComplaintKind.choices),
    "complained_institution": _institutions,
    "handling_institution": _institutions,
    "business": _codes("B"),
    "cause": _codes("C"),
    "category": lambda user: ((c.name, "") for c in HandlingCategory.objects.order_by("pk")),
    "status": _labels(
        [(v, label) for v, label in ComplaintStatus.choices if v in IMPORTABLE_STATES]
    ),
    "satisfaction": _labels(Satisfaction.choices),
    "is_valid": lambda user: (("是", ""), ("否", "")),
}


def _first(pairs: Pairs) -> str:
    return next(iter(pairs), ("", ""))[0]


def example_row(user: User) -> dict[str, str]:
    """One complete row the importer accepts for ``user`` (an answered complaint a
    month ago), by internal key."""
    received = timezone.localtime() - timedelta(days=30)
    institution = _first(_institutions(user))
    return {
        "original_no": "LS-2025-0001",
        "received_at": received.strftime("%Y-%m-%d %H:%M"),
        "intake_source": str(IntakeSource.PHONE.label),
        "kind": str(ComplaintKind.COMPLAINT.label),
        "complainant_name": "张三",
        "complainant_phone": "13800000000",
        "id_type": "",
        "id_number": "",
        "contact_address": "",
        "description": "办理转账时柜员录错收款账号，资金延误两天到账。",
        "demand": "说明原因并道歉。",
        "amount": "2000",
        "complained_institution": institution,
        "handling_institution": institution,
        "business": _first(_codes("B")(user)),
        "cause": _first(_codes("C")(user)),
        "category": _first(CODE_LISTS["category"](user)),
        "status": "已反馈",
        "resolved_at": (received + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "answered_at": (received + timedelta(days=1, hours=2)).strftime("%Y-%m-%d %H:%M"),
        "satisfaction": str(Satisfaction.SATISFIED.label),
        "is_valid": "是",
        "money_recovered": "0",
        "findings": "经核实系柜员录入错误，已向客户道歉。",
    }


def template_xlsx(user: User) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("导入数据")
    example = example_row(user)
    for i, (column, key) in enumerate(COLUMNS.items(), start=1):
        header = ws.cell(row=1, column=i, value=column)
        header.font = BOLD
        header.fill = REQUIRED_FILL if column in REQUIRED else OPTIONAL_FILL
        if key in CODE_LISTS:
            header.comment = Comment(_("取值见“代码表”"), "")
        cell = ws.cell(row=2, column=i, value=example.get(key, ""))
        cell.font = EXAMPLE_FONT
        cell.number_format = "@"  # codes and phone numbers stay text
        ws.column_dimensions[get_column_letter(i)].width = max(12, 2 * len(column) + 4)
    ws.freeze_panes = "A2"

    codes = wb.create_sheet(_("代码表"))
    codes.append([_("红色表头为必填列；第 2 行是示例，导入前请删除或改为实际数据。")])
    codes.append([_("列名"), _("可填写的值"), _("说明")])
    for cell in codes[2]:
        cell.font = BOLD
        cell.fill = OPTIONAL_FILL
    for column, key in COLUMNS.items():
        if key not in CODE_LISTS:
            continue
        for value, note in CODE_LISTS[key](user):
            codes.append([column, value, note])
    codes.freeze_panes = "A3"
    for letter, width in (("A", 16), ("B", 26), ("C", 34)):
        codes.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
