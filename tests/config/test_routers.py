"""The read-replica router: the report pack reads from the replica, writes its
progress to the primary, and nothing is routed unless a replica is configured.

The test profile defines a "replica" alias that mirrors the test database (Django's
TEST["MIRROR"]); it is a second connection, so the tests commit their data
(``transaction=True``) for the replica connection to see it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Complaint
from config.routers import ReplicaRouter, replica_reads
from reports.models import ReportPack
from reports.services import report_pack_build
from tests.complaints.factories import ComplaintFactory

TZ = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def router(settings):
    settings.DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]


@pytest.fixture
def pack(county, categories, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    for day in (3, 4, 5):
        ComplaintFactory(
            received_at=dt.datetime(2026, 7, day, 10, tzinfo=TZ),
            complained_institution=county.a_out1,
            category=categories["服务态度"],
            first_responder=county.a_teller,
        )
    return ReportPack.objects.create(
        year=2026, quarter=3, root=county.pbc, requested_by=county.regulator
    )


def _sql(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries]


def test_report_pack_reads_complaints_from_the_replica(router, pack):
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        built = report_pack_build(pack.pk)

    assert built.status == ReportPack.Status.DONE
    on_replica, on_primary = _sql(replica), _sql(primary)
    complaint_reads = [s for s in on_replica if '"complaints_complaint"' in s]
    assert complaint_reads, "the report's figures must come from the replica"
    assert not [s for s in on_primary if '"complaints_complaint"' in s]
    assert not [s for s in on_replica if s.startswith(WRITES)]
    # Progress and the finished pack are written to the primary.
    assert [s for s in on_primary if s.startswith("UPDATE") and "reports_reportpack" in s]
    summary = openpyxl.load_workbook(built.file.path)["汇总"]
    received = {row[0]: row[1] for row in summary.iter_rows(values_only=True)}["受理总量"]
    assert received == 3


def test_without_the_router_everything_stays_on_the_primary(pack):
    with CaptureQueriesContext(connections["replica"]) as replica:
        built = report_pack_build(pack.pk)

    assert built.status == ReportPack.Status.DONE
    assert _sql(replica) == []


def test_reads_outside_the_block_and_inside_a_transaction_use_the_primary(router, pack):
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert Complaint.objects.count() == 3  # not opted in
        with replica_reads(), transaction.atomic():
            assert Complaint.objects.count() == 3  # must see its own transaction
    assert _sql(replica) == []

    with CaptureQueriesContext(connections["replica"]) as replica, replica_reads():
        assert Complaint.objects.count() == 3
    assert len(_sql(replica)) == 1


def test_writes_and_migrations_go_to_the_primary_only():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_write(Complaint) == "default"
    assert router.allow_migrate("default", "complaints") is True
    assert router.allow_migrate("replica", "complaints") is False


def test_the_supervision_board_counts_on_the_replica(router, pack, county, client):
    client.force_login(county.regulator)
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = client.get(reverse("supervision:board"))

    assert response.status_code == 200
    counts = [s for s in _sql(replica) if '"complaints_complaint"' in s and "COUNT(" in s]
    assert len(counts) == 2  # the open complaints and the unsatisfied answers
    assert not [s for s in _sql(primary) if '"complaints_complaint"' in s]
    assert response.context["board"].total.open == 3


def test_supervision_statistics_are_computed_on_the_replica(router, pack, county, client):
    client.force_login(county.regulator)
    url = reverse("supervision:statistics") + "?start=2026-07-01&end=2026-09-30"
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = client.get(url)

    assert response.status_code == 200
    assert [s for s in _sql(replica) if '"complaints_complaint"' in s]
    assert not [s for s in _sql(primary) if '"complaints_complaint"' in s]
