"""Import of hotline transfers: the 12378 (NFRA) and 12363 (PBoC) work-order lists
the office receives as CSV or xlsx, each order with the hotline's own number.

Every row is registered through the office's own intake (``complaint_register``, or
``complaint_dispatch`` when the row names the institution and handler to dispatch to),
so a transfer gets the deadline, repeat check, timeline and notices of any complaint;
its hotline number is kept in ``HotlineTransfer`` (unique per hotline). A file is
imported whole or not at all: every row is validated first — a number already
imported or repeated in the file is an error like any other — and the rows are
written in one transaction that any refusal rolls back. Errors name the spreadsheet
row and column, as the historical import's do (the reading and the field checks are
that importer's). Lists are a day's or a week's orders, so the import runs in the
request, bounded by ``MAX_ROWS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions import access
from institutions.enums import Role
from institutions.errors import DomainError
from institutions.models import Institution, User

from .. import services
from ..enums import ComplaintKind, IdType, IntakeSource
from ..fields import LINE_MAX, LONG_TEXT_MAX, NAME_MAX, NOTE_MAX
from ..models import Complaint, HandlingCategory, HotlineTransfer, TaxonomyCode
from ..validators import clean_person_name, clean_text, normalize_phone
from .columns import choice_code
from .reading import TableError, open_table
from .validation import RowError, header_errors, parse_datetime

MAX_ROWS = 2000
SOURCE_ID_MAX = 64

COLUMNS = [
    "热线",  # required: 12378 or 12363
    "工单编号",  # required: the hotline's own number
    "受理时间",  # required
    "类型",
    "投诉人姓名",  # required
    "联系电话",  # required
    "证件类型",
    "证件号码",
    "联系地址",
    "投诉事项",  # required
    "投诉诉求",  # required
    "被投诉机构代码",  # required
    "业务办理渠道代码",
    "业务类别代码",
    "投诉原因代码",
    "处理类别",
    "分办机构代码",
    "处理人",
    "转办意见",
]
REQUIRED = [
    "热线",
    "工单编号",
    "受理时间",
    "投诉人姓名",
    "联系电话",
    "投诉事项",
    "投诉诉求",
    "被投诉机构代码",
]
#: Every spelling of the two hotlines -> HotlineTransfer.Source.
SOURCES = {
    "12378": "12378",
    "12363": "12363",
    "12378热线": "12378",
    "12363热线": "12363",
    IntakeSource.HOTLINE_12378.value: "12378",
    IntakeSource.HOTLINE_12363.value: "12363",
}
INTAKE = {"12378": IntakeSource.HOTLINE_12378, "12363": IntakeSource.HOTLINE_12363}
TAXONOMY_COLUMNS = (
    ("业务办理渠道代码", "channel", "A"),
    ("业务类别代码", "business", "B"),
    ("投诉原因代码", "cause", "C"),
)


class HotlineRefused(Exception):
    """The file has errors; nothing was imported."""

    def __init__(self, errors: list[RowError], rows: int = 0) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors, self.rows = errors, rows


@dataclass
class HotlineResult:
    complaints: list[Complaint] = field(default_factory=list)
    dispatched: int = 0


def can_import_hotline(user: User) -> bool:
    """The office receives the hotlines' lists and registers them (its own intake)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.REGULATOR
        and user.institution_id
        and access.is_regulator(user)
    )


class _Validator:
    """One file's lookups, made once: institutions in the importer's scope, the
    taxonomy by internal and official code, categories, handlers, numbers seen."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.now = timezone.now()
        self.visible = {i.code: i for i in access.institutions_visible_to(actor)}
        self.codes: dict[tuple[str, str], TaxonomyCode] = {}
        for t in TaxonomyCode.objects.filter(is_active=True):
            self.codes[(t.dimension, t.code)] = t
            if t.official_code:
                # A hotline list may carry the standard's codes rather than ours.
                self.codes.setdefault((t.dimension, t.official_code), t)
        self.categories = {c.name: c for c in HandlingCategory.objects.all()}
        self.by_cause = {
            t.pk: c
            for c in HandlingCategory.objects.prefetch_related("typical_causes")
            for t in c.typical_causes.all()
        }
        self.seen: dict[tuple[str, str], int] = {}

    def __call__(self, n: int, raw: dict[str, str]) -> tuple[dict[str, Any], list[RowError]]:
        errors: list[RowError] = []

        def err(column: str, message: str) -> None:
            errors.append(RowError(n, column, message))

        for column in REQUIRED:
            if not raw.get(column):
                err(column, _("不能为空。"))
        data: dict[str, Any] = {"answer_preference": "phone", "is_major": False}
        source = SOURCES.get(raw.get("热线", "").replace(" ", ""))
        if raw.get("热线") and source is None:
            err("热线", _("应为 12378 或 12363。"))
        data["source"] = source
        try:
            data["source_id"] = clean_text(raw.get("工单编号", ""), max_length=SOURCE_ID_MAX)
        except ValidationError as e:
            err("工单编号", e.messages[0])
            data["source_id"] = ""
        received = parse_datetime(raw.get("受理时间", ""))
        if raw.get("受理时间") and received is None:
            err("受理时间", _("日期时间格式应为 2026-03-15 09:30。"))
        elif received and received > self.now:
            err("受理时间", _("不能晚于当前时间。"))
        data["received_at"] = received
        data["intake_source"] = INTAKE.get(source or "", "")
        kind = raw.get("类型", "")
        data["kind"] = (choice_code(kind, ComplaintKind) if kind else ComplaintKind.COMPLAINT) or ""
        if not data["kind"]:
            err("类型", _("无效的取值“%(v)s”。") % {"v": kind})
        id_type = raw.get("证件类型", "")
        data["id_type"] = (choice_code(id_type, IdType) if id_type else "") or ""
        if id_type and not data["id_type"]:
            err("证件类型", _("无效的取值“%(v)s”。") % {"v": id_type})
        phone = raw.get("联系电话", "")
        if phone:
            try:
                phone = normalize_phone(phone)
            except ValidationError:
                err("联系电话", _("电话号码格式不正确。"))
        data["complainant_phone"] = phone
        for column, key, limit in (
            ("证件号码", "id_number", 32),
            ("联系地址", "contact_address", LINE_MAX),
            ("投诉事项", "description", LONG_TEXT_MAX),
            ("投诉诉求", "demand", LONG_TEXT_MAX),
            ("转办意见", "dispatch_note", NOTE_MAX),
        ):
            try:
                data[key] = clean_text(raw.get(column, ""), max_length=limit)
            except ValidationError as e:
                err(column, e.messages[0])
                data[key] = ""
        try:
            data["complainant_name"] = clean_person_name(
                raw.get("投诉人姓名", ""), max_length=NAME_MAX
            )
        except ValidationError as e:
            if raw.get("投诉人姓名"):
                err("投诉人姓名", e.messages[0])
            data["complainant_name"] = ""
        for column, key in (("被投诉机构代码", "complained_institution"), ("分办机构代码", "to")):
            value = raw.get(column, "")
            data[key] = self.visible.get(value) if value else None
            if value and (data[key] is None or (key == "to" and data[key].is_regulator)):
                err(column, _("机构代码“%(v)s”不存在或不在您的管辖范围内。") % {"v": value})
                data[key] = None
        for column, key, dimension in TAXONOMY_COLUMNS:
            value = raw.get(column, "")
            data[key] = self.codes.get((dimension, value)) if value else None
            if value and data[key] is None:
                err(column, _("分类代码“%(v)s”无效。") % {"v": value})
        self._category(data, raw, err)
        self._dispatch(data, raw, err)
        self._duplicate(n, data, err)
        return data, errors

    def _category(self, data, raw, err) -> None:
        """处理类别 as written, else the one the cause is typical of (the intake
        form's suggestion); the deadline depends on it, so one is needed."""
        name = raw.get("处理类别", "")
        data["category"] = self.categories.get(name) if name else None
        if name and data["category"] is None:
            err("处理类别", _("处理类别“%(v)s”不存在。") % {"v": name})
        elif not name:
            cause = data.get("cause")
            data["category"] = self.by_cause.get(cause.pk) if cause else None
            if data["category"] is None:
                err("处理类别", _("请填写处理类别（投诉原因未对应默认处理类别）。"))

    def _dispatch(self, data, raw, err) -> None:
        to, name = data.pop("to"), raw.get("处理人", "").strip()
        data["dispatch"] = None
        if not to and not name:
            return
        if not to or not name:
            err("处理人" if to else "分办机构代码", _("分办须同时填写分办机构代码和处理人。"))
            return
        staff = User.objects.filter(
            institution=to, is_active=True, role__in=(Role.HANDLER, Role.MANAGER)
        )
        found = list(staff.filter(Q(username=name) | Q(full_name=name))[:2])
        if len(found) != 1:
            err("处理人", _("分办机构中没有唯一的用户名或姓名为“%(v)s”的处理人员。") % {"v": name})
            return
        data["dispatch"] = (to, found[0])

    def _duplicate(self, n, data, err) -> None:
        key = (data["source"], data["source_id"])
        if not all(key):
            return
        if key in self.seen:
            err("工单编号", _("与第 %(row)d 行的工单编号重复。") % {"row": self.seen[key]})
            return
        self.seen[key] = n
        if HotlineTransfer.objects.filter(source=key[0], source_id=key[1]).exists():
            err("工单编号", _("该工单已导入过，不能重复导入。"))


def _rows(name: str, stream: IO[bytes]):
    try:
        table = open_table(name, stream)
    except TableError as e:
        raise HotlineRefused([RowError(1, "", str(e))]) from None
    errors = header_errors(table.header, REQUIRED)
    if errors:
        raise HotlineRefused(errors)
    return table.rows


def hotline_import(*, actor: User, name: str, stream: IO[bytes]) -> HotlineResult:
    """Register every transfer of the file, or none: raises ``HotlineRefused`` with
    every row's errors (nothing written) when any row is wrong."""
    if not can_import_hotline(actor):
        raise HotlineRefused([RowError(1, "", _("您无权导入热线转办。"))])
    validate = _Validator(actor)
    rows, errors = [], []
    try:
        for n, raw in _rows(name, stream):
            data, row_errors = validate(n, raw)
            errors += row_errors
            rows.append((n, data))
            if len(rows) > MAX_ROWS:
                raise HotlineRefused(
                    [RowError(n, "", _("一次最多导入 %(max)d 行。") % {"max": MAX_ROWS})]
                )
    except TableError as e:  # a broken file found while reading its rows
        raise HotlineRefused([RowError(1, "", str(e))]) from None
    if not rows:
        errors.append(RowError(1, "", _("文件中没有数据行。")))
    if errors:
        raise HotlineRefused(errors, len(rows))
    return _write(actor, name, rows)


@transaction.atomic
def _write(actor: User, name: str, rows: list[tuple[int, dict]]) -> HotlineResult:
    result = HotlineResult()
    for n, data in rows:
        try:
            with transaction.atomic():
                complaint = _register(actor, data)
                HotlineTransfer.objects.create(
                    complaint=complaint,
                    source=data["source"],
                    source_id=data["source_id"],
                    imported_by=actor,
                    filename=name[:200],
                    row=n,
                )
        except DomainError as e:
            transaction.set_rollback(True)
            raise HotlineRefused([RowError(n, "", str(e.message))], len(rows)) from None
        except IntegrityError:
            # Another import took the number since the check: nothing is kept.
            transaction.set_rollback(True)
            raise HotlineRefused(
                [RowError(n, "工单编号", _("该工单已导入过，不能重复导入。"))], len(rows)
            ) from None
        result.complaints.append(complaint)
    result.dispatched = sum(1 for _n, d in rows if d["dispatch"])
    return result


def _register(actor: User, data: dict) -> Complaint:
    dispatch: tuple[Institution, User] | None = data["dispatch"]
    if dispatch:
        complaint, _warnings = services.complaint_dispatch(
            actor=actor, data=data, institution=dispatch[0], handler=dispatch[1]
        )
    else:
        complaint, _warnings = services.complaint_register(actor=actor, data=data)
    return complaint
