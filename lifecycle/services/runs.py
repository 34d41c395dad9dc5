"""The retention run: a dry run that only reports, and the run that anonymises the due
complaints and clears expired logs, notices and report packs.

Safe to run twice or concurrently: each batch locks the complaints it takes with
SELECT … FOR UPDATE SKIP LOCKED, checks again (in a fresh statement, so it sees what
another run committed meanwhile) that each is still due, and the ``Anonymisation``
row is unique per complaint. Resumable: a run that stops leaves its committed batches
behind, and any later run starts with what is still due. Each batch is one
transaction writing its own ``RetentionBatch`` audit row.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from complaints import search
from complaints.models import Complaint, PiiAccessLog
from notifications.models import Notification
from portal.models import Enquiry
from reports.models import ReportPack

from ..enums import BatchKind, RunMode, RunStatus
from ..models import Anonymisation, RetentionBatch, RetentionRun
from ..policy import Cutoffs, current_policy
from ..selectors import due_complaints, expired_consumer_messages, held_q, retention_preview
from .anonymise import anonymise_complaint, audit_rewrite, delete_rows

logger = logging.getLogger(__name__)


def retention_dry_run(*, requested_by=None, now: datetime.datetime | None = None) -> RetentionRun:
    """Record what a run would do now (``RetentionRun.report``), changing nothing else."""
    now = now or timezone.now()
    report = retention_preview(now=now)
    return RetentionRun.objects.create(
        mode=RunMode.DRY_RUN,
        status=RunStatus.DONE,
        requested_by=requested_by,
        created_at=now,
        started_at=now,
        finished_at=now,
        policy=report["policy"] | {"cutoffs": report["cutoffs"]},
        report=report,
        complaints=report["complaints"],
        files=report["files"],
        access_logs=report["access_logs"],
        notices=report["notices"],
        report_packs=report["report_packs"],
    )


def retention_run_request(*, requested_by=None) -> RetentionRun:
    """Queue a run (the worker executes it after commit)."""
    from ..tasks import retention_run as task

    run = RetentionRun.objects.create(mode=RunMode.RUN, requested_by=requested_by)
    transaction.on_commit(lambda: task.delay(run.pk))
    return run


def retention_run_execute(
    *, run_id: int, now: datetime.datetime | None = None, batch_size: int | None = None
) -> RetentionRun | None:
    """Execute a queued (or failed) run to the end. A run already running elsewhere or
    finished is left alone (returns None): a task delivered twice works once."""
    now = now or timezone.now()
    claimed = RetentionRun.objects.filter(
        pk=run_id, mode=RunMode.RUN, status__in=(RunStatus.PENDING, RunStatus.FAILED)
    ).update(status=RunStatus.RUNNING, started_at=now, error="")
    if not claimed:
        return None
    policy = current_policy()
    cut = policy.cutoffs(now)
    RetentionRun.objects.filter(pk=run_id).update(
        policy=policy.as_dict() | {"cutoffs": cut.as_dict()}
    )
    size = batch_size or settings.RETENTION_BATCH_SIZE
    try:
        _anonymise_due(run_id, cut, size, now)
        _purge(run_id, cut, size * 10)
    except Exception as exc:
        logger.exception("retention run %s failed", run_id)
        RetentionRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    RetentionRun.objects.filter(pk=run_id).update(status=RunStatus.DONE, finished_at=timezone.now())
    return RetentionRun.objects.get(pk=run_id)


def _next_seq(run_id: int) -> int:
    last = RetentionBatch.objects.filter(run_id=run_id).order_by("-seq").first()
    return (last.seq if last else 0) + 1


def _anonymise_due(run_id: int, cut: Cutoffs, size: int, now: datetime.datetime) -> None:
    while True:
        with transaction.atomic(), audit_rewrite():
            started = timezone.now()
            locked = list(
                due_complaints(cut.complaints)
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:size]
            )
            if not locked:
                return
            # Read again now that they are ours: another run may have committed them.
            complaints = list(
                Complaint.objects.filter(pk__in=locked)
                .exclude(anonymisation__isnull=False)
                .exclude(held_q())
                .order_by("pk")
            )
            batch = RetentionBatch.objects.create(
                run_id=run_id,
                seq=_next_seq(run_id),
                kind=BatchKind.COMPLAINTS,
                started_at=started,
            )
            files = 0
            for complaint in complaints:
                files += anonymise_complaint(complaint, now=now)
                Anonymisation.objects.create(complaint=complaint, anonymised_at=now, batch=batch)
            ids = [c.pk for c in complaints]
            RetentionBatch.objects.filter(pk=batch.pk).update(
                rows=len(ids), files=files, complaint_ids=ids, finished_at=timezone.now()
            )
            RetentionRun.objects.filter(pk=run_id).update(
                complaints=F("complaints") + len(ids), files=F("files") + files
            )
            # In the same transaction: a complaint anonymised here must not stay
            # findable by its former name or number, even if the process dies next.
            search.reindex(ids)


def _purge(run_id: int, cut: Cutoffs, size: int) -> None:
    """Delete, in batches, the access logs, notices, finished consumer messages and
    report packs older than their periods."""
    targets: list[tuple[str, models.QuerySet, str]] = [
        (
            BatchKind.ACCESS_LOGS,
            PiiAccessLog.objects.filter(created_at__lt=cut.access_logs),
            "access_logs",
        ),
        (
            BatchKind.ACCESS_LOGS,
            Enquiry.objects.filter(created_at__lt=cut.access_logs),
            "access_logs",
        ),
        (BatchKind.NOTICES, Notification.objects.filter(created_at__lt=cut.notices), "notices"),
        (BatchKind.NOTICES, expired_consumer_messages(cut.notices), "notices"),
        (
            BatchKind.REPORT_PACKS,
            ReportPack.objects.filter(created_at__lt=cut.report_packs),
            "report_packs",
        ),
    ]
    for kind, queryset, counter in targets:
        while True:
            with transaction.atomic(), audit_rewrite():
                started = timezone.now()
                pks = list(
                    queryset.select_for_update(skip_locked=True)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:size]
                )
                if not pks:
                    break
                rows = queryset.model.objects.filter(pk__in=pks)
                files = _drop_files(rows) if queryset.model is ReportPack else 0
                deleted = delete_rows(rows)
                RetentionBatch.objects.create(
                    run_id=run_id,
                    seq=_next_seq(run_id),
                    kind=kind,
                    rows=deleted,
                    files=files,
                    started_at=started,
                )
                RetentionRun.objects.filter(pk=run_id).update(**{counter: F(counter) + deleted})


def _drop_files(packs: models.QuerySet) -> int:
    names = [p.file.name for p in packs if p.file]
    if names:
        storage = ReportPack._meta.get_field("file").storage

        def delete_files() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return len(names)
