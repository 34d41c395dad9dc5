"""Thin periodic task: one service call (idempotent, see the service)."""

from __future__ import annotations

from celery import shared_task

from .measures import services


@shared_task(acks_late=True)
def rectification_sweep() -> dict:
    return services.rectification_sweep()
