"""The import page offers the xlsx template instead of pointing at docs/import.md: a
manager downloads it, and the file has the importer's header, an example row and the
code lists on a second sheet."""

import io
import re

import openpyxl

from complaints import imports


def test_manager_downloads_the_import_template(demo, login, page, live_server):
    login("abc_manager")
    page.goto(f"{live_server.url}/reports/import/")
    assert "docs/import.md" not in page.content()
    link = page.get_by_test_id("import-template")
    assert link.inner_text() == "下载导入模板（xlsx）"
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "历史投诉导入模板.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    assert wb.sheetnames == ["导入数据", "代码表"]
    rows = list(wb["导入数据"].iter_rows(values_only=True))
    assert list(rows[0]) == list(imports.COLUMNS)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[1][1])
    codes = {r[0] for r in wb["代码表"].iter_rows(min_row=3, values_only=True)}
    assert {"投诉来源", "被投诉机构代码", "业务类别代码", "投诉原因代码", "处理类别"} <= codes
