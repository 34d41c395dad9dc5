"""Import of historical complaints from xlsx/csv (columns documented in
docs/import.md).

All or nothing: every row is validated first; the errors name the row, the column and
why, in Chinese; nothing is written unless every row is valid. Imported complaints
land in their recorded state with their original dates, are stamped as already
reminded / overdue-handled so the deadline sweep sends nothing for the past, and get
one timeline row saying where they came from.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions import access
from institutions.enums import Role
from institutions.models import Institution, User

from . import deadlines, masking
from .enums import ComplaintKind, ComplaintStatus, IntakeSource, Satisfaction
from .enums import TimelineAction as A
from .fields import LINE_MAX, LONG_TEXT_MAX, MAX_AMOUNT, NAME_MAX
from .models import Complaint, HandlingCategory, TaxonomyCode, TimelineEntry
from .selectors import complained_staff_by_name
from .validators import clean_person_name, clean_text, normalize_phone

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
# Free text: column key -> limit (complaints/fields.py, as in the forms and the API).
TEXT_LIMITS = {
    "original_no": LINE_MAX,
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
# Historical files only carry finished cases or cases still being handled.
IMPORTABLE_STATES = {
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.RESOLVED,
    ComplaintStatus.ANSWERED,
    ComplaintStatus.ARCHIVED,
    ComplaintStatus.REFUSED,
    ComplaintStatus.TRANSFERRED,
}
MAX_ROWS = 20_000


@dataclass
class RowError:
    row: int  # spreadsheet row number (header is row 1)
    column: str
    message: str


@dataclass
class ImportPreview:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows as {column: text}; raises ValueError with a Chinese message."""
    lower = name.lower()
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError(_("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。"))
        reader = csv.DictReader(io.StringIO(text))
        return [{k.strip(): (v or "").strip() for k, v in r.items() if k} for r in reader]
    if lower.endswith(".xlsx"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many kinds for a broken file
            raise ValueError(_("无法读取 xlsx 文件：%(e)s") % {"e": e}) from None
        ws = wb.active
        rows = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        out = []
        for values in rows:
            if values is None or all(v in (None, "") for v in values):
                continue
            out.append({h: _cell(v) for h, v in zip(header, values, strict=False) if h})
        return out
    raise ValueError(_("只支持 .xlsx 或 .csv 文件。"))


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _choice(value: str, choices) -> str | None:
    for code, label in choices.choices:
        if value in (code, str(label)):
            return code
    return None


def _datetime(value: str) -> datetime | None:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return timezone.make_aware(datetime.strptime(value, fmt))  # noqa: DTZ007
        except ValueError:
            continue
    return None


def preview(*, actor: User, rows: list[dict[str, str]]) -> ImportPreview:
    result = ImportPreview()
    if not rows:
        result.errors.append(RowError(1, "", _("文件中没有数据行。")))
        return result
    if len(rows) > MAX_ROWS:
        result.errors.append(RowError(1, "", _("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS}))
        return result
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        result.errors.append(RowError(1, "、".join(missing), _("缺少必需的列。")))
        return result
    visible = {i.code: i for i in access.institutions_visible_to(actor)}
    codes = {t.code: t for t in TaxonomyCode.objects.all()}
    categories = {c.name: c for c in HandlingCategory.objects.all()}
    now = timezone.now()
    for n, raw in enumerate(rows, start=2):
        errors: list[RowError] = []

        def err(column, message, n=n, errors=errors):
            errors.append(RowError(n, column, message))

        row: dict = {"row": n}
        for column in REQUIRED:
            if not raw.get(column):
                err(column, _("不能为空。"))
        received = _datetime(raw.get("受理时间", ""))
        if raw.get("受理时间") and received is None:
            err("受理时间", _("日期时间格式应为 2026-03-15 09:30。"))
        elif received and received > now:
            err("受理时间", _("不能晚于当前时间。"))
        row["received_at"] = received
        for column, key, choices in (
            ("投诉来源", "intake_source", IntakeSource),
            ("类型", "kind", ComplaintKind),
            ("状态", "status", ComplaintStatus),
            ("满意度", "satisfaction", Satisfaction),
        ):
            value = raw.get(column, "")
            if not value:
                row[key] = ""
                continue
            code = _choice(value, choices)
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
        for column, key in (
            ("被投诉机构代码", "complained_institution"),
            ("处理机构代码", "handling_institution"),
        ):
            value = raw.get(column, "")
            row[key] = visible.get(value) if value else None
            if value and row[key] is None:
                err(column, _("机构代码“%(v)s”不存在或不在您的管辖范围内。") % {"v": value})
        for column, key, dim in (("业务类别代码", "business", "B"), ("投诉原因代码", "cause", "C")):
            value = raw.get(column, "")
            row[key] = codes.get(value) if value else None
            if value and (row[key] is None or row[key].dimension != dim):
                err(column, _("分类代码“%(v)s”无效。") % {"v": value})
        cat = raw.get("处理类别", "")
        row["category"] = categories.get(cat)
        if cat and row["category"] is None:
            err("处理类别", _("处理类别“%(v)s”不存在。") % {"v": cat})
        for column, key in (("涉及金额", "amount"), ("挽回损失", "money_recovered")):
            row[key] = _amount(raw.get(column, ""), lambda message, c=column: err(c, message))
        for column, key in (("办结时间", "resolved_at"), ("反馈时间", "answered_at")):
            value = raw.get(column, "")
            row[key] = _datetime(value) if value else None
            if value and row[key] is None:
                err(column, _("日期时间格式应为 2026-03-15 09:30。"))
            elif row[key] and received and row[key] < received:
                err(column, _("不能早于受理时间。"))
        if row["status"] in (ComplaintStatus.ANSWERED, ComplaintStatus.ARCHIVED) and not row.get(
            "answered_at"
        ):
            err("反馈时间", _("已反馈或已归档的投诉须填写反馈时间。"))
        valid = raw.get("是否有效投诉", "")
        row["is_valid"] = {"是": True, "否": False, "": None}.get(valid, "bad")
        if row["is_valid"] == "bad":
            err("是否有效投诉", _("请填写“是”或“否”。"))
        row["id_type"] = raw.get("证件类型", "")
        for key, limit in TEXT_LIMITS.items():
            column = _column(key)
            try:
                row[key] = clean_text(raw.get(column, ""), max_length=limit)
            except ValidationError as e:
                err(column, e.messages[0])
                row[key] = ""
        for key, required in (("complainant_name", True), ("complained_staff_name", False)):
            column = _column(key)
            row[key] = ""
            if raw.get(column) or required:
                try:
                    row[key] = clean_person_name(raw.get(column, ""), max_length=NAME_MAX)
                except ValidationError as e:
                    if raw.get(column):  # an empty required column is reported above
                        err(column, e.messages[0])
        row["complainant_phone"] = phone
        _people(row, raw, err)
        result.errors.extend(errors)
        result.rows.append(row)
    return result


def _column(key: str) -> str:
    return next(c for c, k in COLUMNS.items() if k == key)


def _amount(value: str, err) -> Decimal | None:
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


def _people(row: dict, raw: dict[str, str], err) -> None:
    """被投诉人员 and 处理人 (optional columns). The person complained about is linked to
    the one member of the complained-about institution's staff with that name, and
    kept as free text when there is none or several. The handler is named by user name
    (or a full name only one user of the handling institution has) and may not be the
    person complained about (非当事人, as ``workflow.conditions.not_a_party``): a row
    that makes them the same person, or that names them alike when one is outside the
    system, is refused."""
    row["complained_staff"] = row["handler"] = None
    complained = row.get("complained_institution")
    name = row.get("complained_staff_name", "")
    if name and complained is not None:
        matches = complained_staff_by_name(complained, name)
        if len(matches) == 1:
            row["complained_staff"] = matches[0]
    value = raw.get("处理人", "").strip()
    handling = row.get("handling_institution") or complained
    if not value or handling is None:
        return
    staff = User.objects.filter(institution=handling, role__in=(Role.HANDLER, Role.MANAGER))
    found = list(staff.filter(username=value)[:1]) or list(staff.filter(full_name=value)[:2])
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


@transaction.atomic
def import_rows(*, actor: User, preview_result: ImportPreview, source: str) -> list[Complaint]:
    """Write every row of a valid preview, or nothing (one transaction)."""
    if not preview_result.ok:
        raise ValueError("refusing to import a file with errors")
    now = timezone.now()
    created = []
    for row in preview_result.rows:
        complained: Institution = row["complained_institution"]
        handling: Institution = row["handling_institution"] or complained
        description, _found = masking.scrub_authentication_data(row["description"])
        demand, _found = masking.scrub_authentication_data(row["demand"])
        status = row["status"]
        c = Complaint(
            tracking_no=_tracking_no(complained, row),
            complained_staff=row["complained_staff"],
            complained_staff_name=row["complained_staff_name"],
            handler=row["handler"],
            assigned_at=row["received_at"] if row["handler"] else None,
            received_at=row["received_at"],
            intake_source=row["intake_source"],
            kind=row["kind"],
            complainant_name=row["complainant_name"],
            complainant_phone=row["complainant_phone"],
            id_type=row["id_type"] if row["id_number"] else "",
            id_number=row["id_number"].upper(),
            contact_address=row["contact_address"],
            description=description,
            demand=demand,
            amount=row["amount"],
            complained_institution=complained,
            business=row["business"],
            cause=row["cause"],
            category=row["category"],
            complexity=row["category"].complexity,
            first_responder=actor,
            accepting_institution=complained,
            handling_institution=handling,
            findings=row["findings"],
            is_valid=row["is_valid"],
            money_recovered=row["money_recovered"] or Decimal("0"),
            satisfaction=row["satisfaction"],
            resolved_at=row["resolved_at"],
            answered_at=row["answered_at"],
            last_activity_at=row["answered_at"] or row["resolved_at"] or row["received_at"],
        )
        deadlines.stamp(c)
        # The past is past: the sweep must not remind, flag or escalate it now.
        c.reminded_at = c.overdue_at = c.auto_escalated_at = now
        if status in (
            ComplaintStatus.ARCHIVED,
            ComplaintStatus.REFUSED,
            ComplaintStatus.TRANSFERRED,
        ):
            c.closed_at = row["answered_at"] or row["received_at"]
            c.archived_at = c.closed_at if status == ComplaintStatus.ARCHIVED else None
        c.save()
        # The recorded state is data being loaded, not a transition performed here;
        # the version moves with it like any other change after the save.
        Complaint.objects.filter(pk=c.pk).update(status=status, version=F("version") + 1)
        TimelineEntry.objects.create(
            complaint=c,
            actor=actor,
            action=A.ADMIN_CHANGE,
            to_status=status,
            note=_("历史数据导入（%(src)s 第 %(row)d 行）") % {"src": source, "row": row["row"]},
            payload={"import": source, "row": row["row"], "original_no": row["original_no"]},
            created_at=now,
        )
        created.append(c)
    return created


def _tracking_no(institution: Institution, row: dict) -> str:
    from .services import next_tracking_no

    return next_tracking_no(institution, row["received_at"])
