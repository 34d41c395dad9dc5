"""Thin Celery tasks: ids in, one service call, their own retry policy."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def deadline_sweep() -> dict:
    """Safe to run twice or concurrently (see complaints.sweep)."""
    from .sweep import deadline_sweep as sweep

    result = sweep()
    log.info(
        "deadline sweep: reminded=%s overdue=%s escalated=%s notices=%s",
        result.reminded,
        result.overdue,
        result.escalated,
        result.notices,
    )
    return {
        "reminded": result.reminded,
        "overdue": result.overdue,
        "escalated": result.escalated,
        "notices": result.notices,
    }


@shared_task(acks_late=True)
def open_tally_refresh() -> dict:
    """Recount the tally behind the board and the workbench (complaints.tally). No
    retry: the next beat recounts, and a page recounts a tally grown too old."""
    from .tally import tally_recount

    run = tally_recount()
    rows = run.rows.count()
    log.info("open tally: %s rows in %.3f s", rows, run.seconds)
    return {"counted_at": run.counted_at.isoformat(), "rows": rows, "seconds": run.seconds}


@shared_task(acks_late=True)
def complaint_export_write(export_id: int) -> None:
    """Write a large list export (complaints.exports). The task parses the stored
    filters as the list page would, with the owner's form; no retry: a failed export
    is marked failed and the owner asks again."""
    from django.http import QueryDict

    from .exports import export_write
    from .forms import ListFilterForm, filters_from_form
    from .models import ComplaintExport

    export = (
        ComplaintExport.objects.select_related("owner__institution").filter(pk=export_id).first()
    )
    if export is None:
        log.info("export %s is gone", export_id)
        return
    filters, sort = filters_from_form(ListFilterForm(QueryDict(export.query), user=export.owner))
    export_write(export=export, filters=filters, sort=sort)


@shared_task
def complaint_export_purge() -> int:
    """Delete expired list exports and their files (idempotent)."""
    from .exports import export_purge_expired

    return export_purge_expired()
