"""A worker process killed in the middle of sending a notice's e-mail (the `slow` fault
group, PostgreSQL: the worker is a separate process on the same test database).

The worker is a real Python process running ``deliver_emails``; its mail server is a
stand-in that hangs (tests/notifications/backends.py), so the process is known to be
between claiming the notice and recording it sent when it gets SIGKILL. The periodic
resend must then deliver the mail, once, under the same Message-ID."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications import services
from notifications.models import Notification

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

WORKER = """
import sys
import django

django.setup()
from django.conf import settings

settings.EMAIL_BACKEND = "tests.notifications.backends.HangingBackend"
from notifications.services import deliver_emails

deliver_emails([int(sys.argv[1])])
"""


def _database_url() -> str:
    db = connection.settings_dict  # the test database this test committed to
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _kill_worker_in_send(note: Notification, tmp_path: Path, *, delivered: bool) -> str:
    """Run a worker on ``note`` until its mail server has the message (and, with
    ``delivered``, has delivered it), SIGKILL it there; the Message-ID it sent under."""
    marker = tmp_path / "in-send.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "HANG_MARKER": str(marker),
    }
    env.pop("REDIS_URL", None)  # the worker needs no broker
    if delivered:
        env["HANG_DELIVERED_DIR"] = str(tmp_path)
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(note.pk)], cwd=settings.BASE_DIR, env=env
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert worker.poll() is None, "the worker ended before it reached the mail server"
            assert time.monotonic() < deadline, "the worker never reached the mail server"
            time.sleep(0.1)
        time.sleep(0.2)  # the marker is written in full
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    (message_id,) = json.loads(marker.read_text())
    return message_id


def _notice(county) -> Notification:
    county.a_manager.email = "manager@bank-a.example"
    county.a_manager.save(update_fields=["email"])
    return Notification.objects.create(
        recipient=county.a_manager,
        kind=Notification.Kind.URGED,
        title="投诉 A-OUT1-20261126-007 被督办",
        body="请尽快办结",
        url="/complaints/1/",
        dedupe_key="supervise:1:v3",
    )


def _resend_after_the_lease(time_machine) -> int:
    lease = timedelta(seconds=settings.NOTIFICATION_EMAIL_LEASE_SECONDS)
    time_machine.move_to(timezone.now() + lease + timedelta(seconds=1))
    return services.deliver_emails()  # what the periodic resend task runs


@pytest.mark.django_db(transaction=True)
def test_worker_killed_between_claim_and_send_mail_is_resent_once(county, tmp_path, time_machine):
    note = _notice(county)
    message_id = _kill_worker_in_send(note, tmp_path, delivered=False)
    assert message_id == services.email_message_id(note)
    note.refresh_from_db()
    assert (note.emailed_at, note.email_attempts) == (None, 1)
    assert note.email_claimed_at is not None  # the dead worker's claim

    assert services.deliver_emails() == 0  # its lease still holds: no second sender
    assert mail.outbox == []
    assert _resend_after_the_lease(time_machine) == 1
    assert services.deliver_emails() == 0

    (sent,) = mail.outbox  # delivered exactly once, under the same Message-ID
    assert sent.message()["Message-ID"] == message_id
    assert sent.to == ["manager@bank-a.example"]
    note.refresh_from_db()
    assert (note.email_attempts, note.email_claimed_at) == (2, None)
    assert note.emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_worker_killed_after_the_server_took_the_mail_resends_the_same_message_id(
    county, tmp_path, time_machine
):
    note = _notice(county)
    message_id = _kill_worker_in_send(note, tmp_path, delivered=True)
    (first,) = [message_from_bytes(p.read_bytes()) for p in tmp_path.glob("*.eml")]
    assert first["Message-ID"] == message_id

    # Not recorded as sent: at least once means the resend sends it again, and the
    # receiving side recognises the copy by its Message-ID.
    assert _resend_after_the_lease(time_machine) == 1
    (again,) = mail.outbox
    assert again.message()["Message-ID"] == message_id
    assert again.message()["X-Idempotency-Key"] == first["X-Idempotency-Key"]
    assert services.deliver_emails() == 0
