"""A manager migrates history from the browser: upload, the worker's summary with the
confirm button on top, the import, and the migrated complaint found by its old number.
A file with a bad row shows every error with its row and imports nothing."""

HEADER = (
    "原投诉编号,受理时间,投诉来源,投诉人姓名,联系电话,证件类型,投诉事项,投诉诉求,"
    "被投诉机构代码,处理类别,状态,反馈时间\n"
)


def _row(n: int, institution: str = "ABC-QH-01") -> str:
    return (
        f"LEGACY-{n:04d},2025-03-{n:02d} 09:30,电话,客户{n},1381234{n:04d},居民身份证,"
        f"ATM吞卡,退卡,{institution},服务渠道,已反馈,2025-03-{n:02d} 16:00\n"
    )


def _upload(page, live_server, text: str) -> None:
    page.goto(f"{live_server.url}/reports/import/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "旧系统.csv", "mimeType": "text/csv", "buffer": text.encode()}],
    )
    page.get_by_test_id("upload-import").click()


def test_manager_imports_history_and_finds_it_by_the_old_number(
    demo, login, page, live_server, settings, tmp_path
):
    from config.celery import app

    settings.MEDIA_ROOT = tmp_path
    # The tasks run in-process here (tests/reports/test_history_import_worker.py runs
    # them in a real worker); the page still goes upload → summary → confirm → done.
    app.conf.task_always_eager = True
    try:
        login("abc_manager")
        _upload(page, live_server, HEADER + _row(3) + _row(9, "BANK-NOPE") + _row(12))
        assert page.get_by_test_id("import-status").inner_text() == "有错误"
        errors = page.get_by_test_id("errors").inner_text()
        assert "3" in errors
        assert "BANK-NOPE" in errors
        assert page.get_by_test_id("confirm-import").count() == 0

        _upload(page, live_server, HEADER + _row(3) + _row(12))
        assert page.get_by_test_id("import-status").inner_text() == "待确认"
        summary = page.get_by_test_id("import-summary").inner_text()
        assert "ABC-QH-01" in summary
        assert "已反馈" in summary  # labels, not codes
        # Personal data is masked in the first rows shown.
        assert "13812340003" not in page.get_by_test_id("first-rows").inner_text()
        page.get_by_test_id("confirm-import").click()
        page.wait_for_selector("[data-testid=import-done]")
        assert "已导入 2 件历史投诉" in page.get_by_test_id("import-done").inner_text()

        page.goto(f"{live_server.url}/complaints/?q=LEGACY-0012")
        rows = page.locator("table tbody tr")
        assert rows.count() == 1
        assert "ABC-QH-01" in rows.first.inner_text()
    finally:
        app.conf.task_always_eager = False
