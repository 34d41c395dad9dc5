import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from complaints.models import PiiAccessLog, TimelineEntry
from tests.complaints.helpers import register


def test_audit_rows_cannot_be_updated_or_deleted_by_the_application(county, intake):
    c = register(county, intake())
    PiiAccessLog.objects.create(user=county.regulator, complaint=c, kind="reveal", fields=["x"])
    for model in (PiiAccessLog, TimelineEntry):
        with pytest.raises(PermissionDenied):
            model.objects.all().update(note="tampered")
        with pytest.raises(PermissionDenied):
            model.objects.all().delete()
        row = model.objects.first()
        with pytest.raises(PermissionDenied):
            row.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_database_refuses_update_of_audit_rows(county, intake):
    from django.db.utils import DatabaseError

    c = register(county, intake())
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(
            "UPDATE complaints_timelineentry SET note = 'x' WHERE complaint_id = %s", [c.pk]
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel logins need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_lockout_holds_under_twenty_parallel_wrong_passwords(county, settings):
    barrier = threading.Barrier(20)
    statuses = []

    def attempt():
        client = Client()
        barrier.wait()
        r = client.post(reverse("login"), {"username": "a_mgr", "password": "wrong"})
        statuses.append(r.status_code)
        connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(statuses) == 20
    # However the requests interleaved, the account is locked now: the right
    # password is refused.
    r = Client().post(reverse("login"), {"username": "a_mgr", "password": "pw-Secret-123"})
    assert r.status_code == 429
    from axes.models import AccessAttempt

    assert (
        sum(a.failures_since_start for a in AccessAttempt.objects.all())
        >= settings.AXES_FAILURE_LIMIT
    )
