"""Builds the quarterly report workbook, sheet by sheet, streaming rows.

Memory stays flat as the data grows: aggregates are computed by the database, the
row-level sheets iterate over ``values_list(...).iterator()`` and openpyxl writes in
write-only mode, so no sheet is ever held in memory whole. Every figure comes from the
same selectors as the screens (supervision statistics, publicity totals, appraisal
results), never from a second implementation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from complaints import masking
from complaints.enums import ComplaintKind, IntakeSource
from complaints.models import ExtensionRequest
from complaints.resources import neutralise
from complaints.selectors import (
    answered_late_q,
    overdue_q,
    statutory_answered_late_q,
    statutory_on_time_q,
    statutory_overdue_q,
)
from institutions.models import Institution, User

PERCENT = "0.0%"
MONEY = "#,##0.00"
INT = "#,##0"
#: a rate with nothing to divide by
NOT_APPLICABLE = "—"
DATETIME = "yyyy-mm-dd hh:mm"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        nxt = Quarter(self.year + self.quarter // 4, self.quarter % 4 + 1).start
        return date.fromordinal(nxt.toordinal() - 1)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)
        )

    def last_year(self) -> Quarter:
        return Quarter(self.year - 1, self.quarter)

    def __str__(self) -> str:
        return _("%(year)d年第%(quarter)d季度") % {"year": self.year, "quarter": self.quarter}


class Sheet:
    """A write-only worksheet with a styled, frozen header and fitted widths."""

    def __init__(self, wb: Workbook, title: str, columns: list[tuple[str, int, str | None]]):
        self.ws = wb.create_sheet(title)
        self.formats = [fmt for _name, _width, fmt in columns]
        for i, (_name, width, _fmt) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.freeze_panes = "A2"
        header = []
        for name, _width, _fmt in columns:
            cell = WriteOnlyCell(self.ws, value=name)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
            header.append(cell)
        self.ws.append(header)
        self.rows = 0

    def append(self, values: Iterable) -> None:
        cells = []
        for value, fmt in zip(values, self.formats, strict=False):
            if hasattr(value, "tzinfo") and value is not None and value.tzinfo is not None:
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = WriteOnlyCell(self.ws, value=neutralise(_plain(value)))
            if fmt:
                cell.number_format = fmt
            cells.append(cell)
        self.ws.append(cells)
        self.rows += 1


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    return str(value) if hasattr(value, "_proxy____cast") else value


def build(
    *,
    user: User,
    quarter: Quarter,
    root: Institution,
    path: str,
    progress: Callable[[int, str], None] = lambda p, s: None,
) -> dict[str, int]:
    """Write the workbook to ``path``; returns rows written per sheet."""
    wb = Workbook(write_only=True)
    steps = [
        (_("汇总"), _summary),
        (_("按机构"), _by_institution),
        (_("业务类别×投诉原因"), _business_by_cause),
        (_("按渠道"), _by_source),
        (_("逾期与延期"), _overdue_and_extended),
        (_("重大投诉"), _major),
        (_("典型案例"), _typical_cases),
        (_("宣传教育"), _publicity),
        (_("纠纷调解"), _mediation),
        (_("考核结果"), _appraisal),
        (_("监管措施"), _measures),
        (_("整改事项"), _rectification),
    ]
    counts = {}
    for i, (title, fn) in enumerate(steps):
        progress(int(100 * i / len(steps)), title)
        sheet = fn(wb, title, user=user, quarter=quarter, root=root)
        counts[title] = sheet.rows
    progress(99, _("保存文件"))
    wb.save(path)
    return counts


def _measures(wb, title, *, user, quarter, root):
    from .sheets_supervision import measures_sheet

    return measures_sheet(wb, title, user=user, quarter=quarter, root=root)


def _rectification(wb, title, *, user, quarter, root):
    from .sheets_supervision import rectification_sheet

    return rectification_sheet(wb, title, user=user, quarter=quarter, root=root)


def _cohort(user, quarter: Quarter, root):
    from supervision.selectors.statistics import period_complaints

    return period_complaints(user, start=quarter.start, end=quarter.end, root=root)


def _stats(user, quarter: Quarter, root):
    from supervision.selectors.statistics import complaint_statistics

    return complaint_statistics(user, start=quarter.start, end=quarter.end, root=root)


def _summary(wb, title, *, user, quarter, root):
    sheet = Sheet(
        wb,
        title,
        [
            (_("指标"), 26, None),
            (str(quarter), 16, None),
            (str(quarter.previous()), 16, None),
            (str(quarter.last_year()), 16, None),
        ],
    )
    periods = [_stats(user, q, root) for q in (quarter, quarter.previous(), quarter.last_year())]

    def kind(s, k):
        return next((b.count for b in s.by_kind if b.key == k), 0)

    rows = [
        (_("受理总量"), INT, lambda s: s.received),
        (_("其中：咨询"), INT, lambda s: kind(s, ComplaintKind.CONSULTATION)),
        (_("其中：投诉"), INT, lambda s: kind(s, ComplaintKind.COMPLAINT)),
        (_("其中：举报"), INT, lambda s: kind(s, ComplaintKind.REPORT)),
        (_("已反馈"), INT, lambda s: s.answered),
        (_("按时办结率"), PERCENT, lambda s: s.on_time_rate),
        (_("法定时限内办结率"), PERCENT, lambda s: s.statutory_on_time_rate),
        (_("超过法定时限（含未办结）"), INT, lambda s: s.statutory_late),
        (_("中止计时中"), INT, lambda s: s.paused),
        (_("满意率"), PERCENT, lambda s: s.satisfaction_rate),
        (_("重复投诉率"), PERCENT, lambda s: s.repeat_rate),
        (_("重大投诉"), INT, lambda s: s.major),
        (_("挽回经济损失（元）"), MONEY, lambda s: s.money_recovered),
        (_("不予受理"), INT, lambda s: s.refused),
        (_("移送"), INT, lambda s: s.transferred),
        (_("撤诉"), INT, lambda s: s.withdrawn),
        (_("合并"), INT, lambda s: s.merged),
    ]
    for label, fmt, fn in rows:
        sheet.formats = [None, fmt, fmt, fmt]
        sheet.append([label, *[fn(s) for s in periods]])
    return sheet


def _rate(part: int, whole: int):
    """A rate for a percent cell, or "—" where it is undefined (nothing to divide by):
    an empty cell would read as 0 %."""
    return part / whole if whole else NOT_APPLICABLE


def _by_institution(wb, title, *, user, quarter, root):
    """One row per institution directly below ``root`` (for an office: every bank of
    its jurisdiction, appraised or not, with zeros when it had no complaint), then
    ``root``'s own row when complaints were handled at that level; each with its
    counts and the three rates of the summary."""
    from supervision.selectors.board import board_rows, row_of

    sheet = Sheet(
        wb,
        title,
        [
            (_("机构"), 34, None),
            (_("受理"), 10, INT),
            (_("已反馈"), 10, INT),
            (_("按时"), 10, INT),
            (_("逾期"), 10, INT),
            (_("按时办结率"), 12, PERCENT),
            (_("满意+基本满意"), 14, INT),
            (_("满意率"), 10, PERCENT),
            (_("重复"), 10, INT),
            (_("重复投诉率"), 12, PERCENT),
            (_("重大"), 10, INT),
            (_("挽回损失"), 14, MONEY),
            (_("法定时限内"), 12, INT),
            (_("超过法定时限"), 12, INT),
            (_("法定时限内办结率"), 14, PERCENT),
        ],
    )
    rows = board_rows(user, root)
    when = row_of(rows, root)
    now = timezone.now()
    data = (
        _cohort(user, quarter, root)
        .annotate(area=when)
        .values("area")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count(
                "pk",
                filter=Q(answered_at__isnull=False, due_at__isnull=False)
                & Q(answered_at__lte=F("due_at")),
            ),
            late=Count(
                "pk",
                filter=answered_late_q() | overdue_q(now),
            ),
            satisfied=Count("pk", filter=Q(satisfaction__in=["satisfied", "basic"])),
            repeat=Count("pk", filter=Q(is_repeat=True)),
            major=Count("pk", filter=Q(is_major=True)),
            money=Sum("money_recovered"),
            statutory_on_time=Count("pk", filter=statutory_on_time_q()),
            statutory_late=Count(
                "pk", filter=statutory_answered_late_q() | statutory_overdue_q(now)
            ),
        )
    )
    by_area = {r["area"]: r for r in data}
    listed = [(i.pk, i.name) for i in rows]
    if root.pk in by_area:
        listed.append((root.pk, _("%(name)s（本级）") % {"name": root.name}))
    zero = dict.fromkeys(
        (
            "received",
            "answered",
            "on_time",
            "late",
            "satisfied",
            "repeat",
            "major",
            "statutory_on_time",
            "statutory_late",
        ),
        0,
    )
    for inst_id, name in listed:
        r = by_area.get(inst_id) or zero
        sheet.append(
            [
                name,
                r["received"],
                r["answered"],
                r["on_time"],
                r["late"],
                _rate(r["on_time"], r["on_time"] + r["late"]),
                r["satisfied"],
                _rate(r["satisfied"], r["answered"]),
                r["repeat"],
                _rate(r["repeat"], r["received"]),
                r["major"],
                r.get("money") or 0,
                r["statutory_on_time"],
                r["statutory_late"],
                _rate(r["statutory_on_time"], r["statutory_on_time"] + r["statutory_late"]),
            ]
        )
    return sheet


def _business_by_cause(wb, title, *, user, quarter, root):
    sheet = Sheet(
        wb, title, [(_("业务类别"), 24, None), (_("投诉原因"), 30, None), (_("件数"), 10, INT)]
    )
    for r in (
        _cohort(user, quarter, root)
        .values("business__name", "cause__name")
        .annotate(n=Count("pk"))
        .order_by("business__name", "-n")
    ):
        sheet.append([r["business__name"] or _("未分类"), r["cause__name"] or _("未分类"), r["n"]])
    return sheet


def _by_source(wb, title, *, user, quarter, root):
    sheet = Sheet(wb, title, [(_("投诉来源"), 20, None), (_("件数"), 10, INT)])
    counts = dict(_cohort(user, quarter, root).values_list("intake_source").annotate(n=Count("pk")))
    for code, label in IntakeSource.choices:
        sheet.append([str(label), counts.get(code, 0)])
    return sheet


CASE_COLUMNS = [
    ("tracking_no", _("投诉编号"), 24, None),
    ("received_at", _("受理时间"), 18, DATETIME),
    ("handling_institution__name", _("处理机构"), 30, None),
    ("complainant_name", _("投诉人"), 10, None),
    ("complainant_phone", _("联系电话"), 14, None),
    ("status", _("状态"), 10, None),
    ("due_at", _("答复期限"), 18, DATETIME),
    ("answered_at", _("反馈时间"), 18, DATETIME),
]


def _case_sheet(wb, title, qs, extra=()):
    from complaints.enums import ComplaintStatus

    columns = [(label, width, fmt) for _, label, width, fmt in CASE_COLUMNS] + [
        (label, width, fmt) for _, label, width, fmt in extra
    ]
    sheet = Sheet(wb, title, columns)
    fields = [f for f, *_ in CASE_COLUMNS] + [f for f, *_ in extra]
    labels = dict(ComplaintStatus.choices)
    for values in qs.values_list(*fields).order_by("received_at").iterator(chunk_size=2000):
        row = list(values)
        row[3] = masking.mask_name(row[3])
        row[4] = masking.mask_phone(row[4])
        row[5] = str(labels.get(row[5], row[5]))
        sheet.append(row)
    return sheet


def _overdue_and_extended(wb, title, *, user, quarter, root):
    now = timezone.now()
    extended = Exists(
        ExtensionRequest.objects.filter(
            complaint=OuterRef("pk"), decision=ExtensionRequest.Decision.APPROVED
        )
    )
    qs = _cohort(user, quarter, root).filter(answered_late_q() | overdue_q(now) | Q(extended))
    return _case_sheet(wb, title, qs)


def _major(wb, title, *, user, quarter, root):
    qs = _cohort(user, quarter, root).filter(is_major=True)
    return _case_sheet(
        wb, title, qs, extra=[("reported_to_regulator_at", _("报告监管时间"), 18, DATETIME)]
    )


def _typical_cases(wb, title, *, user, quarter, root):
    sheet = Sheet(
        wb,
        title,
        [
            (_("标题"), 36, None),
            (_("投诉编号"), 24, None),
            (_("原因分析"), 50, None),
            (_("经验教训"), 50, None),
        ],
    )
    from django.apps import apps

    if not apps.is_installed("supervision"):
        return sheet
    from supervision.models import TypicalCase

    cohort = _cohort(user, quarter, root).values("pk")
    for t in TypicalCase.objects.filter(complaint__in=cohort).select_related("complaint"):
        sheet.append(
            [
                t.title,
                t.complaint.tracking_no,
                getattr(t, "cause_analysis", ""),
                getattr(t, "lessons", ""),
            ]
        )
    return sheet


def _publicity(wb, title, *, user, quarter, root):
    from publicity.metrics import METRICS
    from publicity.selectors import activity_totals

    sheet = Sheet(wb, title, [(_("指标"), 26, None), (_("数量"), 14, INT), (_("单位"), 8, None)])
    totals = activity_totals(institution=root, date_from=quarter.start, date_to=quarter.end)
    for metric in METRICS:
        sheet.formats = [None, MONEY if metric.is_money else INT, None]
        sheet.append([str(metric.label), getattr(totals, metric.code), str(metric.unit)])
    return sheet


def _mediation(wb, title, *, user, quarter, root):
    # Its own module (reports/sheets_mediation.py), which imports this one's Sheet.
    from .sheets_mediation import mediation_sheet

    return mediation_sheet(wb, title, user=user, quarter=quarter, root=root)


def _appraisal(wb, title, *, user, quarter, root):
    sheet = Sheet(
        wb,
        title,
        [
            (_("机构"), 34, None),
            (_("总分"), 10, "0.00"),
            (_("排名"), 8, INT),
            (_("等级"), 10, None),
            (_("重点监管"), 10, None),
        ],
    )
    try:
        from evaluation.selectors import period_results_for_report
    except ImportError:
        return sheet
    results = period_results_for_report(user=user, start=quarter.start, end=quarter.end, root=root)
    if not results:
        # Headers alone would read as a failed export.
        sheet.append(
            [_("本季度内没有已发布的考核结果（只列出在本季度内开始并结束、且已发布的考核期）。")]
        )
        sheet.rows = 0
    for r in results:
        sheet.append(
            [
                r.institution_name,
                r.total,
                r.rank,
                r.grade,
                _("是") if r.key_supervision else _("否"),
            ]
        )
    return sheet
