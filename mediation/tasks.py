"""Thin periodic task: one service call (idempotent, see the service)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def judicial_reminders() -> int:
    return services.judicial_reminders()
