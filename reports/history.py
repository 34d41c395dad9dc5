"""The import of historical complaints as a background job (HistoryImport).

Upload → the worker validates the file and keeps a summary → the user confirms → the
worker imports it, all or nothing. The web request only stores the file: a migration
file of 200,000 rows takes minutes, far past a web worker's timeout. The rules of a
row are complaints.imports'; this module is the job around them.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from complaints import imports
from complaints.errors import PermissionRefused, WorkflowError
from institutions.models import User

from .models import HistoryImport
from .rules import can_import_history

log = logging.getLogger(__name__)
S = HistoryImport.Status


def imports_dir() -> Path:
    """Where uploads are kept, and where the worker writes progress while it imports:
    inside the import's single transaction the job row cannot be updated where the
    web page would see it."""
    return Path(settings.MEDIA_ROOT) / "imports"


def history_imports_of(user: User):
    """The user's own imports (an upload holds personal data: nobody else's)."""
    if not can_import_history(user):
        return HistoryImport.objects.none()
    return HistoryImport.objects.filter(requested_by=user)


def history_import_get_for_user(user: User, pk) -> HistoryImport:
    try:
        return history_imports_of(user).get(pk=pk)
    except (HistoryImport.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None  # missing, someone else's, or not a UUID: alike


def history_import_start(*, user: User, upload: UploadedFile) -> HistoryImport:
    if not can_import_history(user):
        raise PermissionRefused(_("您无权导入历史数据。"))
    job = HistoryImport(
        requested_by=user,
        filename=(upload.name or "")[:200],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    job.file.save(upload.name or "upload.csv", upload, save=False)
    job.save()
    transaction.on_commit(lambda: _enqueue("validate_history_import", job.pk))
    return job


def history_import_confirm(*, user: User, job: HistoryImport) -> HistoryImport:
    # Conditional: a double click, or two tabs, queues one import.
    if not HistoryImport.objects.filter(pk=job.pk, status=S.READY).update(
        status=S.IMPORTING, progress=0, step=""
    ):
        raise WorkflowError(_("该导入不在待确认状态。"), code="not_ready")
    transaction.on_commit(lambda: _enqueue("run_history_import", job.pk))
    job.refresh_from_db()
    return job


def history_import_cancel(*, user: User, job: HistoryImport) -> HistoryImport:
    if not HistoryImport.objects.filter(
        pk=job.pk, status__in=(S.VALIDATING, S.INVALID, S.READY)
    ).update(status=S.CANCELLED, finished_at=timezone.now()):
        raise WorkflowError(_("该导入已开始或已结束，不能取消。"), code="not_cancellable")
    job.refresh_from_db()
    _drop_file(job)
    return job


def _enqueue(task_name: str, pk) -> None:
    from . import tasks

    try:
        getattr(tasks, task_name).delay(str(pk))
    except Exception:  # broker down: the job stays as it is; the purge ends it later
        log.warning("broker unavailable; history import %s not queued", pk)


def _update(job: HistoryImport, **fields) -> None:
    HistoryImport.objects.filter(pk=job.pk).update(**fields)


def _summary(report: imports.FileReport) -> dict:
    return {
        "by_institution": sorted(report.by_institution.items()),
        "by_status": sorted(report.by_status.items()),
        "by_year": sorted(report.by_year.items()),
        "first_rows": report.first_rows,
    }


def _errors(report: imports.FileReport) -> list[list]:
    return [[e.row, e.column, e.message] for e in report.errors]


def history_import_validate(pk) -> HistoryImport | None:
    """The worker's first step. Idempotent: only a job still validating is read."""
    job = HistoryImport.objects.select_related("requested_by").filter(pk=pk).first()
    if job is None or job.status != S.VALIDATING:
        return job
    with translation.override(job.language):

        def progress(percent: int, step: str) -> None:
            _update(job, progress=percent, step=step[:60])

        try:
            with job.file.open("rb") as stream:
                report = imports.validate_file(
                    actor=job.requested_by, name=job.filename, stream=stream, progress=progress
                )
        except imports.TableError as e:
            report = imports.FileReport()
            report.add_errors([imports.RowError(1, "", str(e))])
    status = S.READY if report.ok else S.INVALID
    # Only a job nobody cancelled meanwhile takes the result.
    HistoryImport.objects.filter(pk=job.pk, status=S.VALIDATING).update(
        status=status,
        progress=100,
        step="",
        row_count=report.rows,
        error_count=report.error_count,
        errors=_errors(report),
        summary=_summary(report),
    )
    job.refresh_from_db()
    if job.status == S.INVALID:
        _drop_file(job)  # nothing more will read it
    return job


def history_import_run(pk) -> HistoryImport | None:
    """The worker's second step: the whole file in one transaction, or nothing."""
    job = HistoryImport.objects.select_related("requested_by").filter(pk=pk).first()
    if job is None or job.status != S.IMPORTING:
        return job
    progress_file = imports_dir() / f"{job.pk}.progress"

    def progress(percent: int, step: str) -> None:
        _write_progress(progress_file, percent, step)

    fields: dict = {"finished_at": timezone.now(), "progress": 100, "step": ""}
    with translation.override(job.language):
        try:
            with job.file.open("rb") as stream:
                created = imports.import_file(
                    actor=job.requested_by,
                    name=job.filename,
                    stream=stream,
                    source=job.filename,
                    expected_rows=job.row_count,
                    progress=progress,
                )
        except imports.ImportRefused as refused:
            # The data changed since the preview (an institution moved out of scope,
            # a handler left): nothing was written; the errors say why.
            fields.update(
                status=S.INVALID,
                error_count=refused.report.error_count,
                errors=_errors(refused.report),
            )
        except Exception as e:
            log.exception("history import %s failed", job.pk)
            fields.update(status=S.FAILED, failure=str(e)[:2000])
        else:
            fields.update(status=S.DONE, imported_count=created)
    progress_file.unlink(missing_ok=True)
    _update(job, **fields)
    job.refresh_from_db()
    _drop_file(job)
    return job


def live_progress(job: HistoryImport) -> tuple[int, str]:
    """The progress to show: the worker's progress file while it imports."""
    if job.status == S.IMPORTING:
        try:
            data = json.loads((imports_dir() / f"{job.pk}.progress").read_text())
            return int(data["percent"]), str(data["step"])
        except (OSError, ValueError, KeyError):
            return job.progress, job.step
    return job.progress, job.step


def _write_progress(path: Path, percent: int, step: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"percent": percent, "step": step}))
    os.replace(tmp, path)  # readers see the old or the new file, never half of one


def _drop_file(job: HistoryImport) -> None:
    if job.file:
        job.file.delete(save=False)
        _update(job, file="")


def purge(now=None) -> int:
    """Delete uploads nobody confirmed or cancelled within IMPORT_UPLOAD_TTL_HOURS
    (the job is cancelled), and any stray file in the imports folder that old. A job
    being imported is left alone."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.IMPORT_UPLOAD_TTL_HOURS)
    stale = HistoryImport.objects.filter(
        created_at__lt=cutoff, status__in=(S.VALIDATING, S.INVALID, S.READY)
    ).exclude(file="")
    count = 0
    for job in stale:
        if HistoryImport.objects.filter(pk=job.pk, status=job.status).update(
            status=S.CANCELLED, finished_at=now
        ):
            _drop_file(job)
            count += 1
    for job in HistoryImport.objects.filter(
        created_at__lt=cutoff, status__in=(S.DONE, S.FAILED, S.CANCELLED)
    ).exclude(file=""):
        _drop_file(job)
        count += 1
    known = {
        Path(name).name
        for name in HistoryImport.objects.exclude(file="").values_list("file", flat=True)
    }
    folder = imports_dir()
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name in known or not path.is_file():
                continue
            if path.stat().st_mtime < cutoff.timestamp():
                path.unlink(missing_ok=True)
                count += 1
    return count
