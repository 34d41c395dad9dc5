"""A whole file, validated or imported in batches with bounded memory.

``validate_file`` reads the file once and keeps only what the preview shows: the
counts per institution, state and year, the first rows and the errors.
``import_file`` reads it again inside one transaction, validating each batch before
writing it: one bad row anywhere — even one that became bad since the preview —
rolls back everything, so a file is imported whole or not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from institutions.models import User

from .. import masking
from ..enums import ComplaintStatus
from .reading import open_table
from .validation import RowError, RowValidator, header_errors
from .writing import write_batch

BATCH = 1000
#: The errors kept for the preview and the error file (the count is always exact).
ERRORS_KEPT = 20_000
FIRST_ROWS = 20

Progress = Callable[[int, str], None]
T = TypeVar("T")
# The preview's first rows are shown masked, like a list (the file stays the only
# full copy); free text is left out.
PREVIEW_COLUMNS = {
    "原投诉编号": None,
    "受理时间": None,
    "投诉人姓名": masking.mask_name,
    "联系电话": masking.mask_phone,
    "被投诉机构代码": None,
    "处理类别": None,
    "状态": None,
    "反馈时间": None,
}


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class FileReport:
    rows: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    by_institution: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    by_year: Counter[int] = field(default_factory=Counter)
    first_rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.rows > 0 and self.error_count == 0

    def add_errors(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        room = ERRORS_KEPT - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])


class ImportRefused(Exception):
    """The file has errors (found at import time); nothing was written."""

    def __init__(self, report: FileReport) -> None:
        super().__init__(f"{report.error_count} errors")
        self.report = report


def _percent(done: int, total: int | None, low: int, high: int) -> int:
    if not total:
        return low
    return low + min(done * (high - low) // total, high - low)


def validate_file(
    *, actor: User, name: str, stream: IO[bytes], progress: Progress | None = None
) -> FileReport:
    report = FileReport()
    table = open_table(name, stream)
    report.add_errors(header_errors(table.header))
    if report.errors:
        return report
    validate = RowValidator(actor)
    status_label = dict(ComplaintStatus.choices)
    for n, raw in table.rows:
        row, errors = validate(n, raw)
        report.rows += 1
        report.add_errors(errors)
        if not errors:
            report.by_institution[row["complained_institution"].code] += 1
            report.by_status[row["status"]] += 1
            report.by_year[row["received_at"].year] += 1
        if len(report.first_rows) < FIRST_ROWS:
            shown = {"row": str(n)}
            for column, mask in PREVIEW_COLUMNS.items():
                value = raw.get(column, "")
                shown[column] = mask(value) if mask and value else value
            if row.get("status"):
                shown["状态"] = str(status_label[row["status"]])
            report.first_rows.append(shown)
        if progress and report.rows % BATCH == 0:
            progress(_percent(report.rows, table.size_hint, 1, 99), _("校验中"))
    if report.rows == 0:
        report.add_errors([RowError(1, "", _("文件中没有数据行。"))])
    return report


@transaction.atomic
def import_file(
    *,
    actor: User,
    name: str,
    stream: IO[bytes],
    source: str,
    expected_rows: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Import every row or none; returns the number of complaints created. Raises
    ``ImportRefused`` (after rolling back) when any row is invalid."""
    report = FileReport()
    table = open_table(name, stream)
    report.add_errors(header_errors(table.header))
    if report.errors:
        raise ImportRefused(report)
    validate = RowValidator(actor)
    total = expected_rows or table.size_hint
    created = 0
    for chunk in batched(table.rows, BATCH):
        rows = []
        for n, raw in chunk:
            row, errors = validate(n, raw)
            report.add_errors(errors)
            rows.append(row)
        report.rows += len(rows)
        if report.error_count:
            # Keep validating to name every bad row; write nothing more.
            continue
        created += len(write_batch(actor=actor, rows=rows, source=source, now=validate.now))
        if progress:
            progress(_percent(created, total, 1, 99), _("导入中"))
    if report.error_count or not report.rows:
        if not report.rows:
            report.add_errors([RowError(1, "", _("文件中没有数据行。"))])
        transaction.set_rollback(True)
        raise ImportRefused(report)
    return created
