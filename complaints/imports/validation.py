"""Validating one row of a historical-complaint file.

Every error names the spreadsheet row, the column and why, in the user's language.
``RowValidator`` holds the lookups (institutions in the user's scope, codes,
categories, the staff named so far) once for a whole file, so a row costs no query
unless it names a person not seen before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions import access
from institutions.enums import Role
from institutions.models import Institution, User

from ..enums import ComplaintKind, ComplaintStatus
from ..fields import MAX_AMOUNT, NAME_MAX
from ..models import HandlingCategory, TaxonomyCode
from ..selectors import complained_staff_by_name
from ..validators import clean_person_name, clean_text, normalize_phone
from .columns import (
    CODED,
    IMPORTABLE_STATES,
    REQUIRED,
    TEXT_LIMITS,
    YES_NO,
    choice_code,
    column_of,
)

Row = dict[str, Any]
Report = Callable[[str, str], None]


@dataclass
class RowError:
    row: int  # spreadsheet row number (header is row 1)
    column: str
    message: str


@dataclass
class ImportPreview:
    """A whole small file validated in memory (tests and the template's own check)."""

    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def header_errors(header: Iterable[str], required: Iterable[str] = REQUIRED) -> list[RowError]:
    """The required columns the header lacks, as one error on row 1 (every importer's
    first check: a file with the wrong columns is refused before any row is read)."""
    present = set(header)
    missing = [c for c in required if c not in present]
    if missing:
        return [RowError(1, "、".join(missing), _("缺少必需的列。"))]
    return []


def parse_datetime(value: str) -> datetime | None:
    """A local date-time as spreadsheets write it (or a date: midnight); None when it
    is none of the accepted formats."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return timezone.make_aware(datetime.strptime(value, fmt))  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _amount(value: str, err: Callable[[str], None]) -> Decimal | None:
    """An amount in yuan: a plain decimal number, at most 2 decimals, not negative and
    below ``MAX_AMOUNT`` (the column's 14 digits; anything near it is a typo or a
    hostile file, not a complaint)."""
    if not value:
        return None
    try:
        amount = Decimal(value.replace(",", "").replace("，", ""))
    except InvalidOperation:
        err(_("应为数字。"))
        return None
    if not amount.is_finite():
        err(_("应为数字。"))
    elif amount < 0:
        err(_("不能为负数。"))
    elif amount > MAX_AMOUNT:
        err(_("金额过大（不超过 %(max)s 元）。") % {"max": f"{MAX_AMOUNT:,}"})
    elif amount != amount.quantize(Decimal("0.01")):
        err(_("最多两位小数。"))
    else:
        return amount
    return None


class RowValidator:
    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.now = timezone.now()
        self.visible = {i.code: i for i in access.institutions_visible_to(actor)}
        self.codes = {t.code: t for t in TaxonomyCode.objects.all()}
        self.categories = {c.name: c for c in HandlingCategory.objects.all()}
        self._staff: dict[tuple[int, str], list[User]] = {}
        self._handlers: dict[tuple[int, str], list[User]] = {}

    def __call__(self, n: int, raw: dict[str, str]) -> tuple[Row, list[RowError]]:
        errors: list[RowError] = []

        def err(column: str, message: str) -> None:
            errors.append(RowError(n, column, message))

        row: Row = {"row": n}
        for column in REQUIRED:
            if not raw.get(column):
                err(column, _("不能为空。"))
        received = parse_datetime(raw.get("受理时间", ""))
        if raw.get("受理时间") and received is None:
            err("受理时间", _("日期时间格式应为 2026-03-15 09:30。"))
        elif received and received > self.now:
            err("受理时间", _("不能晚于当前时间。"))
        row["received_at"] = received
        for column, (key, choices) in CODED.items():
            value = raw.get(column, "")
            code = choice_code(value, choices) if value else ""
            if code is None:
                err(column, _("无效的取值“%(v)s”。") % {"v": value})
            row[key] = code or ""
        row["kind"] = row["kind"] or ComplaintKind.COMPLAINT
        if row["status"] and row["status"] not in IMPORTABLE_STATES:
            err("状态", _("历史投诉只能导入为处理中、已办结、已反馈、已归档、不予受理或已移送。"))
        phone = raw.get("联系电话", "")
        if phone:
            try:
                phone = normalize_phone(phone)
            except ValidationError:
                err("联系电话", _("电话号码格式不正确。"))
        row["complainant_phone"] = phone
        for column, key in (
            ("被投诉机构代码", "complained_institution"),
            ("处理机构代码", "handling_institution"),
        ):
            value = raw.get(column, "")
            row[key] = self.visible.get(value) if value else None
            if value and row[key] is None:
                err(column, _("机构代码“%(v)s”不存在或不在您的管辖范围内。") % {"v": value})
        for column, key, dim in (("业务类别代码", "business", "B"), ("投诉原因代码", "cause", "C")):
            value = raw.get(column, "")
            row[key] = self.codes.get(value) if value else None
            if value and (row[key] is None or row[key].dimension != dim):
                err(column, _("分类代码“%(v)s”无效。") % {"v": value})
        cat = raw.get("处理类别", "")
        row["category"] = self.categories.get(cat)
        if cat and row["category"] is None:
            err("处理类别", _("处理类别“%(v)s”不存在。") % {"v": cat})
        for column, key in (("涉及金额", "amount"), ("挽回损失", "money_recovered")):
            row[key] = _amount(raw.get(column, ""), lambda message, c=column: err(c, message))
        for column, key in (("办结时间", "resolved_at"), ("反馈时间", "answered_at")):
            value = raw.get(column, "")
            row[key] = parse_datetime(value) if value else None
            if value and row[key] is None:
                err(column, _("日期时间格式应为 2026-03-15 09:30。"))
            elif row[key] and received and row[key] < received:
                err(column, _("不能早于受理时间。"))
        if row["status"] in (ComplaintStatus.ANSWERED, ComplaintStatus.ARCHIVED) and not row.get(
            "answered_at"
        ):
            err("反馈时间", _("已反馈或已归档的投诉须填写反馈时间。"))
        valid = raw.get("是否有效投诉", "").strip()
        row["is_valid"] = YES_NO.get(valid.lower()) if valid else None
        if valid and row["is_valid"] is None:
            err("是否有效投诉", _("请填写“是”或“否”。"))
        for key, limit in TEXT_LIMITS.items():
            column = column_of(key)
            try:
                row[key] = clean_text(raw.get(column, ""), max_length=limit)
            except ValidationError as e:
                err(column, e.messages[0])
                row[key] = ""
        for key, required in (("complainant_name", True), ("complained_staff_name", False)):
            column = column_of(key)
            row[key] = ""
            if raw.get(column) or required:
                try:
                    row[key] = clean_person_name(raw.get(column, ""), max_length=NAME_MAX)
                except ValidationError as e:
                    if raw.get(column):  # an empty required column is reported above
                        err(column, e.messages[0])
        self._people(row, raw, err)
        return row, errors

    def _people(self, row: Row, raw: dict[str, str], err: Report) -> None:
        """被投诉人员 and 处理人 (optional columns). The person complained about is
        linked to the one member of the complained-about institution's staff with
        that name, and kept as free text when there is none or several. The handler is
        named by user name (or a full name only one user of the handling institution
        has) and may not be the person complained about (非当事人, as
        ``workflow.conditions.not_a_party``): a row that makes them the same person, or
        that names them alike when one is outside the system, is refused."""
        row["complained_staff"] = row["handler"] = None
        complained: Institution | None = row.get("complained_institution")
        name = row.get("complained_staff_name", "")
        if name and complained is not None:
            key = (complained.pk, name)
            if key not in self._staff:
                self._staff[key] = complained_staff_by_name(complained, name)
            if len(self._staff[key]) == 1:
                row["complained_staff"] = self._staff[key][0]
        value = raw.get("处理人", "").strip()
        handling: Institution | None = row.get("handling_institution") or complained
        if not value or handling is None:
            return
        key = (handling.pk, value)
        if key not in self._handlers:
            staff = User.objects.filter(institution=handling, role__in=(Role.HANDLER, Role.MANAGER))
            self._handlers[key] = list(staff.filter(username=value)[:1]) or list(
                staff.filter(full_name=value)[:2]
            )
        found = self._handlers[key]
        if len(found) != 1:
            err(
                "处理人",
                _("处理机构中没有用户名或姓名为“%(v)s”的处理人员。") % {"v": value}
                if not found
                else _("处理机构有多名人员名为“%(v)s”，请填写用户名。") % {"v": value},
            )
            return
        handler = found[0]
        party = row["complained_staff"]
        if (party is not None and party.pk == handler.pk) or (
            party is None and name and name == handler.full_name
        ):
            err("处理人", _("处理人不能是被投诉的当事人（非当事人原则）。"))
            return
        row["handler"] = handler


def preview(*, actor: User, rows: list[dict[str, str]]) -> ImportPreview:
    """Validate a small file held in memory (rows numbered from 2, as in the sheet)."""
    result = ImportPreview()
    if not rows:
        result.errors.append(RowError(1, "", _("文件中没有数据行。")))
        return result
    result.errors.extend(header_errors(rows[0]))
    if result.errors:
        return result
    validate = RowValidator(actor)
    for n, raw in enumerate(rows, start=2):
        row, errors = validate(n, raw)
        result.errors.extend(errors)
        result.rows.append(row)
    return result
