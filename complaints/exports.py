"""导出 Excel: the complaint list as its reader filtered it, as an xlsx file.

The rows come from ``selectors.complaint_list_for_user`` for the export's owner (the
one scoping selector every list starts from) and are shown through
``complaints.rows.present``, the very function that writes the list's rows: the same
columns, masked at the same list level. A small list is written at once; a large one
by a Celery task, which records its progress so the page can show it. The file is
served only to its owner and deleted when it expires (``export_purge_expired``).
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from institutions.resources import neutralise

from . import rows, selectors
from .models import ComplaintExport

if TYPE_CHECKING:
    from institutions.models import User

    from .selectors import ComplaintFilters

#: Up to this many rows the file is written during the request; above it, by a task.
INLINE_LIMIT = 500
#: A file holds at most this many rows (the first ones in the list's order).
MAX_ROWS = 100_000
#: How long a written file can be downloaded.
EXPORT_TTL = timedelta(hours=24)
#: Progress is recorded every this many rows.
PROGRESS_EVERY = 500

State = ComplaintExport.State


def export_request(*, owner: User, query: str, filters: ComplaintFilters, sort: str):
    """Record an export of the list ``owner`` filtered with ``query`` (the list's
    query string, parsed by the caller into ``filters`` and ``sort``). Writes the file
    now when the list is small (the export comes back done), otherwise enqueues
    ``complaints.tasks.complaint_export_write`` after commit (it comes back pending)."""
    export = ComplaintExport.objects.create(
        owner=owner,
        query=query,
        language=get_language() or "",
        expires_at=timezone.now() + EXPORT_TTL,
    )
    qs = selectors.complaint_list_for_user(owner, filters, sort=sort)
    if qs.order_by()[: INLINE_LIMIT + 1].count() <= INLINE_LIMIT:
        export_write(export=export, filters=filters, sort=sort)
    else:
        from .tasks import complaint_export_write

        transaction.on_commit(lambda: complaint_export_write.delay(export.pk))
    return export


def _header() -> list[str]:
    return [
        _("投诉编号"),
        _("受理时间"),
        _("投诉人"),
        _("电话"),
        _("类别"),
        _("复杂程度"),
        _("处理机构"),
        _("处理人"),
        _("状态"),
        _("答复期限"),
        _("逾期"),
        _("超时反馈"),
        _("重大"),
        _("重复"),
        _("人民银行转办"),
    ]


def _cells(row: dict, due: str) -> list:
    yes, no = _("是"), _("否")
    return [
        row["tracking_no"],
        row["received"],
        row["name"],
        row["phone"],
        row["category"],
        row["complexity"],
        row["institution"],
        row["handler"],
        row["status"],
        due,
        yes if row["overdue"] else no,
        yes if row["answered_late"] else no,
        yes if row["is_major"] else no,
        yes if row["is_repeat"] else no,
        yes if row["dispatched"] else no,
    ]


def export_write(*, export: ComplaintExport, filters: ComplaintFilters, sort: str) -> None:
    """Write the file of a pending export. Claims it first (pending → running), so a
    task delivered twice writes it once; on an error the export is marked failed."""
    claimed = ComplaintExport.objects.filter(pk=export.pk, state=State.PENDING).update(
        state=State.RUNNING
    )
    if not claimed:
        return
    export.state = State.RUNNING
    try:
        with override(export.language or None):
            _write(export, filters, sort)
    except Exception:
        ComplaintExport.objects.filter(pk=export.pk).update(state=State.FAILED)
        raise


def _write(export: ComplaintExport, filters: ComplaintFilters, sort: str) -> None:
    qs = selectors.complaint_list_for_user(export.owner, filters, sort=sort)
    total = qs.order_by()[:MAX_ROWS].count()
    ComplaintExport.objects.filter(pk=export.pk).update(total=total)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("投诉列表"))
    ws.freeze_panes = "A2"
    header = []
    for title in _header():
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    written = 0
    chunk: list[dict] = []

    def flush() -> None:
        for values, row in zip(chunk, rows.present(chunk, now=now), strict=True):
            due_at = values["due_at"]
            due = due_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if due_at else ""
            ws.append([neutralise(v) for v in _cells(row, due)])
        chunk.clear()

    for values in rows.for_rows(qs)[:MAX_ROWS].iterator(chunk_size=PROGRESS_EVERY):
        chunk.append(values)
        if len(chunk) == PROGRESS_EVERY:
            flush()
            written += PROGRESS_EVERY
            ComplaintExport.objects.filter(pk=export.pk).update(written=written)
    written += len(chunk)
    flush()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryFile() as fh:
        wb.save(fh)
        fh.seek(0)
        export.file.save(f"complaints-{stamp}-{export.pk}.xlsx", File(fh), save=False)
    export.total, export.written, export.state = total, written, State.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "total", "written", "state", "finished_at"])


def export_get_for_owner(user: User, pk) -> ComplaintExport:
    """The user's own export, or 404: someone else's answers exactly like a missing
    one (ids cannot be probed)."""
    from django.http import Http404

    try:
        return ComplaintExport.objects.get(pk=pk, owner=user)
    except (ComplaintExport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def export_purge_expired(now=None) -> int:
    """Delete the expired exports and their files; idempotent (a periodic task)."""
    now = now or timezone.now()
    count = 0
    for export in ComplaintExport.objects.filter(expires_at__lt=now):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
