"""Thin Celery tasks: ids in, one service call."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def retention_run(run_id: int) -> None:
    """Execute a queued run (idempotent: a run already taken is left alone)."""
    from .services.runs import retention_run_execute

    retention_run_execute(run_id=run_id)


@shared_task
def retention_scheduled() -> None:
    """The periodic run, once the office has seen a dry run and switched the schedule
    on (``RETENTION_AUTO_RUN``); until then the run is started from the admin."""
    from django.conf import settings

    from .enums import RunMode
    from .models import RetentionRun
    from .services.runs import retention_run_execute

    if not settings.RETENTION_AUTO_RUN:
        logger.info("retention: scheduled run skipped (RETENTION_AUTO_RUN is off)")
        return

    run = RetentionRun.objects.create(mode=RunMode.RUN)
    retention_run_execute(run_id=run.pk)
