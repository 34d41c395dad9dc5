"""The system administrator, in Chromium, reads the retention dry-run report in the
admin and starts the run; the worker anonymises what the report announced."""

import datetime as dt
from zoneinfo import ZoneInfo

from complaints.models import Complaint
from lifecycle.models import Anonymisation, RetentionRun
from lifecycle.services.runs import retention_run_execute

LONG_AGO = dt.datetime(2021, 4, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_administrator_previews_and_starts_the_run(demo, login, page, live_server):
    # Two of the demo's answered complaints, archived long ago.
    old = list(
        Complaint.objects.filter(status="answered").order_by("pk").values_list("pk", flat=True)[:2]
    )
    assert len(old) == 2
    Complaint.objects.filter(pk__in=old).update(
        status="archived", archived_at=LONG_AGO, closed_at=LONG_AGO
    )

    login("sysadmin")
    page.goto(f"{live_server.url}/admin/lifecycle/retentionrun/")
    page.get_by_test_id("retention-preview").click()
    report = page.get_by_test_id("retention-report")
    report.wait_for()
    assert page.get_by_test_id("count-complaints").inner_text() == "2"
    assert "2021" in page.get_by_test_id("retention-table").inner_text()
    assert RetentionRun.objects.get().mode == "dry_run"
    assert not Anonymisation.objects.exists()  # the preview changed nothing

    page.get_by_test_id("retention-start").click()
    page.wait_for_url(f"{live_server.url}/admin/lifecycle/retentionrun/*/change/")
    run = RetentionRun.objects.get(mode="run")
    assert run.requested_by.username == "sysadmin"
    retention_run_execute(run_id=run.pk)  # what the worker does
    page.reload()
    assert "已完成" in page.locator("#content-main").inner_text()
    assert "投诉匿名化" in page.locator("#content-main").inner_text()
    assert sorted(Anonymisation.objects.values_list("complaint_id", flat=True)) == old
