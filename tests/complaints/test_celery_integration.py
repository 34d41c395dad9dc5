"""A real Celery worker consuming from real Redis runs the sweep and delivers the
notice e-mail (CI sets REDIS_URL; locally this is skipped without it)."""

import os
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from complaints.models import Complaint
from notifications.models import Notification

from .helpers import register

pytestmark = [pytest.mark.integration]


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_worker_runs_sweep_and_delivers_overdue_notice(county, intake):
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("REDIS_URL is required in CI")
        pytest.skip("REDIS_URL 未设置：跳过真实 Redis + Celery worker 集成测试")
    from celery.contrib.testing.worker import start_worker

    from complaints.tasks import deadline_sweep
    from config.celery import app

    assert app.conf.broker_url.startswith("redis://")
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # a clean queue in the test's Redis db
    county.a_manager.email = "manager@bank-a.example"
    county.a_manager.save(update_fields=["email"])
    c = register(county, intake(received_at=timezone.now() - timedelta(days=6)))
    assert c.due_at < timezone.now()

    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        result = deadline_sweep.delay()
        outcome = result.get(timeout=30) if app.conf.result_backend else None
        assert _wait_for(
            lambda: Complaint.objects.filter(pk=c.pk, overdue_at__isnull=False).exists()
        )
        assert _wait_for(lambda: any(m.to == ["manager@bank-a.example"] for m in mail.outbox))
    assert outcome is None or outcome["overdue"] == 1
    note = Notification.objects.get(recipient=county.a_manager, kind="overdue")
    assert note.emailed_at is not None
    assert c.tracking_no in next(
        m.subject for m in mail.outbox if m.to == ["manager@bank-a.example"]
    )
