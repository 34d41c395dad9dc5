"""A real Celery worker on real Redis validates and imports an uploaded history file
(CI sets REDIS_URL; locally this is skipped without it)."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import Complaint
from reports import history
from reports.models import HistoryImport

pytestmark = [pytest.mark.integration]

HEADER = (
    "原投诉编号,受理时间,投诉来源,投诉人姓名,联系电话,投诉事项,投诉诉求,被投诉机构代码,"
    "处理类别,状态\n"
)
ROW = "OLD-{n},2025-03-15 09:30,电话,客户{n},1381234{n:04d},ATM吞卡,退卡,A-OUT1,服务渠道,处理中\n"


def _wait_for_status(job, wanted, timeout=30.0) -> str:
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = HistoryImport.objects.get(pk=job.pk).status
        if status in wanted:
            return status
        time.sleep(0.2)
    return status


@pytest.mark.django_db(transaction=True)
def test_worker_validates_then_imports_an_uploaded_file(
    county, categories, calendar, settings, tmp_path
):
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("REDIS_URL is required in CI")
        pytest.skip("REDIS_URL 未设置：跳过真实 Redis + Celery worker 集成测试")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    settings.MEDIA_ROOT = str(tmp_path)
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()
    text = HEADER + "".join(ROW.format(n=n) for n in range(1, 4))
    upload = SimpleUploadedFile("h.csv", text.encode(), content_type="text/csv")
    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        # Outside a transaction the job's task is sent at once (on_commit runs now).
        job = history.history_import_start(user=county.a_manager, upload=upload)
        assert _wait_for_status(job, {"ready", "invalid"}) == "ready"
        history.history_import_confirm(user=county.a_manager, job=job)
        status = _wait_for_status(job, {"done", "failed", "invalid"})
        assert status == "done", HistoryImport.objects.get(pk=job.pk).failure
    job.refresh_from_db()
    assert (job.row_count, job.imported_count) == (3, 3)
    assert sorted(Complaint.objects.values_list("original_no", flat=True)) == [
        "OLD-1",
        "OLD-2",
        "OLD-3",
    ]
    assert not job.file
