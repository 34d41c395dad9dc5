"""Faults and concurrency against real PostgreSQL and Redis (the `slow` group; .ci/run
runs it). Nothing is lost and nothing happens twice."""

import datetime as dt
import os

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from complaints import workflow
from complaints.errors import WorkflowError
from complaints.models import Complaint, TimelineEntry
from complaints.sweep import deadline_sweep
from notifications import services as notices
from notifications.models import Notification
from tests.complaints.helpers import complaint_in_state, register, valid_data
from tests.concurrency import run_in_parallel

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_conflicting_transitions_one_wins(county, intake):
    c = complaint_in_state(county, intake(), "registered")
    rows = TimelineEntry.objects.filter(complaint=c).count()

    def act(i):
        if i % 2:
            return workflow.complaint_act(
                actor=county.regulator,
                complaint_id=c.pk,
                action="refuse",
                expected_version=1,
                **valid_data("refuse", c, county),
            )
        return workflow.complaint_act(
            actor=county.a_manager,
            complaint_id=c.pk,
            action="assign",
            expected_version=1,
            **valid_data("assign", c, county),
        )

    results = run_in_parallel(20, act)
    wins = [r for r in results if isinstance(r, Complaint)]
    conflicts = [r for r in results if isinstance(r, WorkflowError) and r.code == "conflict"]
    assert (len(wins), len(conflicts)) == (1, 19), results
    assert TimelineEntry.objects.filter(complaint=c).count() == rows + 1


def _overdue_batch(county, n):
    from complaints.models import HandlingCategory

    cat = HandlingCategory.objects.get(name="服务态度")
    past = timezone.now() - dt.timedelta(days=3)
    Complaint.objects.bulk_create(
        [
            Complaint(
                tracking_no=f"F-{i:05d}",
                received_at=past,
                intake_source="phone",
                complainant_name="某",
                complainant_phone="13800000000",
                description="d",
                demand="d",
                complained_institution=county.a_out1,
                accepting_institution=county.a_out1,
                handling_institution=county.a_out1,
                handler=county.a1_handler,
                first_responder=county.a_teller,
                category=cat,
                complexity="simple",
                status="in_progress",
                due_at=past,
                remind_at=past,
                escalate_at=past + dt.timedelta(days=1),
            )
            for i in range(n)
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_over_a_thousand_overdue(county, categories, calendar):
    _overdue_batch(county, 1000)
    results = run_in_parallel(2, lambda i: deadline_sweep())
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.overdue for r in results) == 1000
    assert sum(r.escalated for r in results) == 1000
    assert TimelineEntry.objects.filter(action="overdue").count() == 1000
    assert TimelineEntry.objects.filter(action="auto_escalate").count() == 1000
    # handler + bank A's manager + the regulator, once each, per complaint
    assert Notification.objects.filter(kind="overdue").count() == 3000
    assert Notification.objects.filter(kind="overdue", recipient=county.a1_handler).count() == 1000
    assert sum(r.overdue for r in [deadline_sweep()]) == 0


@pytest.fixture
def dead_broker():
    """The broker is unreachable (Redis down, or a crash right after commit)."""
    from config.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.broker_connection_timeout = 1
    app.conf.broker_connection_max_retries = 0
    app.pool.force_close_all()
    yield
    app.conf.broker_url = old
    app.pool.force_close_all()


@pytest.mark.django_db(transaction=True)
def test_broker_down_still_registers_and_transitions_then_delivers_once(
    county, intake, dead_broker
):
    county.a1_handler.email = "h@bank-a.example"
    county.a1_handler.save(update_fields=["email"])
    c = register(county, intake())
    workflow.complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        institution=county.a_out1,
        handler=county.a1_handler,
    )
    c.refresh_from_db()
    assert c.status == "assigned"
    note = Notification.objects.get(recipient=county.a1_handler, kind="assigned")
    assert note.emailed_at is None  # the e-mail could not be queued
    assert mail.outbox == []
    # Back up: the periodic resend delivers what was missed, exactly once.
    assert notices.deliver_emails() == 1
    assert notices.deliver_emails() == 0
    assert [m.to for m in mail.outbox] == [["h@bank-a.example"]]


@pytest.mark.django_db(transaction=True)
def test_crash_between_commit_and_publish_loses_nothing(county, categories, calendar, dead_broker):
    county.a_manager.email = "m@bank-a.example"
    county.a_manager.save(update_fields=["email"])
    _overdue_batch(county, 5)
    result = deadline_sweep()  # commits; publishing the e-mail task fails
    assert result.overdue == 5
    unsent = Notification.objects.filter(emailed_at__isnull=True, recipient=county.a_manager)
    assert unsent.count() == 10  # overdue + supervision for each
    assert notices.deliver_emails() == 10
    assert notices.deliver_emails() == 0
    assert len([m for m in mail.outbox if m.to == ["m@bank-a.example"]]) == 10


@pytest.mark.django_db(transaction=True)
def test_redis_restart_drops_queue_but_outbox_delivers(county, intake):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL")
    from config.celery import app

    county.a1_handler.email = "h@bank-a.example"
    county.a1_handler.save(update_fields=["email"])
    c = register(county, intake())
    workflow.complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        institution=county.a_out1,
        handler=county.a1_handler,
    )
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        assert client.llen("celery") >= 1  # the e-mail task is queued in Redis
        client.flushdb()  # Redis restarted without persistence: the queue is gone
    assert notices.deliver_emails() == 1
    assert notices.deliver_emails() == 0


def test_redelivered_tasks_have_no_second_effect(county, categories, calendar, tmp_path, settings):
    """acks_late: a worker killed mid-task gets its task redelivered. Running each task
    body twice must leave one effect."""
    from complaints.tasks import deadline_sweep as sweep_task
    from reports.models import ReportPack
    from reports.tasks import build_report_pack

    settings.MEDIA_ROOT = tmp_path
    _overdue_batch(county, 3)
    sweep_task.run()
    sweep_task.run()
    assert TimelineEntry.objects.filter(action="overdue").count() == 3
    pack = ReportPack.objects.create(
        year=2026, quarter=3, root=county.pbc, requested_by=county.regulator
    )
    build_report_pack.run(str(pack.pk))
    build_report_pack.run(str(pack.pk))
    from complaints.models import PiiAccessLog

    assert PiiAccessLog.objects.filter(kind="export", note__contains=str(pack.pk)).count() == 1
    assert len(list(tmp_path.joinpath("reports").iterdir())) == 1
