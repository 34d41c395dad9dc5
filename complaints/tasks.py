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
