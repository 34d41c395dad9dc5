"""The benchmark's own machinery: it refuses anything but PostgreSQL, and its seed
writes a coherent data set (every reference resolves although COPY ran without
foreign-key triggers; registrations continue the seeded tracking numbers). Timing is
never asserted: the numbers are the benchmark's output, not a test."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from bench import seed
from complaints.enums import OPEN_STATES
from complaints.models import Complaint, TimelineEntry, TrackingSequence
from institutions.models import Institution, User

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the seed streams rows with PostgreSQL's COPY"
)


@pytest.mark.django_db
def test_bench_refuses_other_databases():
    if connection.vendor == "postgresql":
        pytest.skip("runs against SQLite")
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("bench", "--complaints", "10")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_seed_writes_a_coherent_data_set():
    # Transactional tests flush the tables, reference data included: reload it as
    # the migrations do.
    from complaints import reference
    from deadlines.reference import load_sla_rules, seed_calendar

    reference.load()
    load_sla_rules()
    seed_calendar()

    report = seed.seed(600, log=lambda msg: None)

    assert Institution.objects.count() == seed.INSTITUTIONS
    assert Complaint.objects.count() == report.complaints == 600
    assert TimelineEntry.objects.count() == report.timeline
    assert 0 < report.open < 600 * 0.2
    assert Complaint.objects.filter(status__in=OPEN_STATES).count() == report.open
    with connection.cursor() as cur:
        # Every foreign key of the COPYed tables resolves.
        for table, column, target in [
            ("complaints_complaint", "handling_institution_id", "institutions_institution"),
            ("complaints_complaint", "accepting_institution_id", "institutions_institution"),
            ("complaints_complaint", "complained_institution_id", "institutions_institution"),
            ("complaints_complaint", "first_responder_id", "institutions_user"),
            ("complaints_complaint", "handler_id", "institutions_user"),
            ("complaints_complaint", "repeat_of_id", "complaints_complaint"),
            ("complaints_complaint", "category_id", "complaints_handlingcategory"),
            ("complaints_complaint", "sla_rule_id", "deadlines_slarule"),
            ("complaints_timelineentry", "complaint_id", "complaints_complaint"),
            ("complaints_timelineentry", "actor_id", "institutions_user"),
            ("notifications_notification", "recipient_id", "institutions_user"),
        ]:
            cur.execute(
                f"SELECT COUNT(*) FROM {table} t LEFT JOIN {target} r ON r.id = t.{column} "  # noqa: S608
                f"WHERE t.{column} IS NOT NULL AND r.id IS NULL"
            )
            assert cur.fetchone()[0] == 0, f"{table}.{column}"
        # A handled complaint has four to eight timeline rows in the common case.
        cur.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY n) FROM (SELECT COUNT(*) n "
            "FROM complaints_timelineentry GROUP BY complaint_id) x"
        )
        assert 4 <= cur.fetchone()[0] <= 8
    # Open complaints have a handler once assigned, closed ones a closing time.
    assert not Complaint.objects.filter(status="in_progress", handler__isnull=True).exists()
    assert not Complaint.objects.filter(status="archived", closed_at__isnull=True).exists()
    # The next registration continues the seeded day's sequence.
    last = Complaint.objects.order_by("-pk").first()
    seq = TrackingSequence.objects.get(
        institution=last.accepting_institution,
        day=timezone.localtime(last.received_at).date(),
    )
    assert last.tracking_no.endswith(f"-{seq.last:03d}")
    roles = set(User.objects.filter(username__startswith="bench_").values_list("role", flat=True))
    assert roles == {"regulator", "sysadmin", "manager", "handler", "teller"}
