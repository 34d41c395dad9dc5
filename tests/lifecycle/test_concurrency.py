"""Two retention runs at once, on real PostgreSQL connections: every due complaint is
anonymised exactly once, neither run fails, and the audit rows add up."""

import pytest
from django.db import connection

from complaints.models import Complaint, PiiAccessLog, TimelineEntry
from lifecycle.models import Anonymisation, RetentionBatch, RetentionRun
from lifecycle.services.runs import retention_run_execute
from tests.complaints.factories import ComplaintFactory, TimelineEntryFactory
from tests.concurrency import run_in_parallel

from .helpers import at

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (run by .ci/run)"
)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_anonymise_each_complaint_once(county):
    ids = [
        ComplaintFactory(
            complained_institution=county.a_out1,
            status="archived",
            closed_at=at(2020, 1, 5),
            description=f"客户电话1380000{n:04d}",
        ).pk
        for n in range(30)
    ]
    runs = [RetentionRun.objects.create(mode="run") for _ in range(2)]

    def execute(i):
        return retention_run_execute(run_id=runs[i].pk, batch_size=4)

    results = run_in_parallel(2, execute)
    assert all(isinstance(r, RetentionRun) for r in results), results
    assert sorted(Anonymisation.objects.values_list("complaint_id", flat=True)) == ids
    done = RetentionRun.objects.filter(pk__in=[r.pk for r in runs])
    assert sum(done.values_list("complaints", flat=True)) == 30
    batched = [
        pk for b in RetentionBatch.objects.filter(kind="complaints") for pk in b.complaint_ids
    ]
    assert sorted(batched) == ids  # no complaint in two batches
    assert set(Complaint.objects.values_list("version", flat=True)) == {2}
    assert not Complaint.objects.filter(description__contains="1380000").exists()


@pytest.mark.django_db(transaction=True)
def test_the_audit_tables_stay_append_only_outside_the_run(county):
    """The trigger still refuses a plain UPDATE or DELETE; only the run's transaction
    (SET LOCAL lifecycle.retention) gets through."""
    from django.db import transaction
    from django.db.utils import DatabaseError

    entry = TimelineEntryFactory(complaint__complained_institution=county.a_out1, note="x")
    log = PiiAccessLog.objects.create(
        user=county.regulator, kind="detail", created_at=at(2020, 1, 1)
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_timelineentry SET note = 'y' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM complaints_piiaccesslog WHERE id = %s", [log.pk])
    run = RetentionRun.objects.create(mode="run")
    assert retention_run_execute(run_id=run.pk).access_logs == 1
    assert not PiiAccessLog.objects.filter(pk=log.pk).exists()
    assert TimelineEntry.objects.get(pk=entry.pk).note == "x"
