"""A real Celery worker consuming from real Redis sends the consumer's SMS through the
HTTP gateway (a real server on loopback): the message queued after the registration
commits is delivered by the worker, and the periodic resend sends one the gateway
refused once. CI sets REDIS_URL; locally this is skipped without it."""

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import ConsumerMessage
from tests.complaints.helpers import register

pytestmark = [pytest.mark.integration]


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_consumer_sms_through_the_gateway(
    county, intake, message_templates, gateway
):
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("REDIS_URL is required in CI")
        pytest.skip("REDIS_URL 未设置：跳过真实 Redis + Celery worker 集成测试")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app
    from notifications.tasks import resend_consumer_messages

    assert app.conf.broker_url.startswith("redis://")
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # a clean queue in the test's Redis db
    gateway.statuses = [503]  # the first attempt fails

    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        # Committed (transactional test): on_commit queues the task to Redis.
        c = register(county, intake(notify_consent=True, complainant_phone="13812345678"))
        message = ConsumerMessage.objects.get(reference=c.tracking_no)
        assert _wait_for(lambda: len(gateway.requests) == 1)
        assert _wait_for(lambda: ConsumerMessage.objects.filter(pk=message.pk, attempts=1).exists())
        message.refresh_from_db()
        assert message.sent_at is None
        assert message.last_error == "SMS gateway answered HTTP 503"
        # The back-off has run out; beat's periodic resend goes through the worker.
        ConsumerMessage.objects.filter(pk=message.pk).update(
            claimed_until=timezone.now() - timedelta(seconds=1)
        )
        resend_consumer_messages.delay()
        assert _wait_for(
            lambda: ConsumerMessage.objects.filter(pk=message.pk, sent_at__isnull=False).exists()
        )
    assert [r["status"] for r in gateway.requests] == [503, 200]
    assert gateway.delivered == {
        str(message.key): {"id": str(message.key), "to": "13812345678", "text": message.body}
    }
    assert c.tracking_no in message.body
