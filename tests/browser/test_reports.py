"""The regulator downloads last quarter's report pack from the browser."""

import io

import openpyxl


def test_report_pack_progress_and_download(demo, login, page, live_server, settings, tmp_path):
    from config.celery import app

    settings.MEDIA_ROOT = tmp_path
    # The task runs in-process here (a real worker is exercised in the Celery
    # integration test); the page still goes through queued → progress → download.
    app.conf.task_always_eager = True
    try:
        login("pbc_supervisor")
        page.goto(f"{live_server.url}/reports/")
        page.get_by_test_id("generate").click()
        page.wait_for_selector("[data-testid=download]", timeout=30_000)
        with page.expect_download() as info:
            page.get_by_test_id("download").click()
        data = open(info.value.path(), "rb").read()  # noqa: SIM115
    finally:
        app.conf.task_always_eager = False
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "汇总"
    assert wb["汇总"]["A1"].value == "指标"
