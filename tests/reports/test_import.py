"""Import of historical complaints: preview, all or nothing, original dates and
states, no notifications for the past."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import imports
from complaints.models import Complaint
from complaints.sweep import deadline_sweep
from notifications.models import Notification
from reports import history
from reports.models import HistoryImport

TZ = ZoneInfo("Asia/Shanghai")
HEADER = (
    "受理时间,投诉来源,类型,投诉人姓名,联系电话,投诉事项,投诉诉求,被投诉机构代码,"
    "业务类别代码,投诉原因代码,处理类别,状态,反馈时间,满意度,是否有效投诉,挽回损失\n"
)
GOOD = (
    "2025-03-15 09:30,电话,投诉,王五,13812340000,ATM吞卡,退卡,A-OUT1,B03,C02,"
    "服务渠道,已反馈,2025-03-16 10:00,满意,是,0\n"
)
GOOD2 = (
    "2025-04-01 14:00,letter,咨询,赵六,0319-6921234,咨询征信,解释,BANK-A,B07,C11,"
    "违规操作,处理中,,,,\n"
)
BAD = (
    "2025-13-40 09:30,电话,投诉,钱七,12345,事项,诉求,BANK-B,B03,X99,服务渠道,已反馈,,满意,也许,-5\n"
)


def _upload(client, text, name="history.csv"):
    """Upload through the page, then run what the worker runs; the job page."""
    f = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("reports:import"), {"file": f})
    assert response.status_code == 302, response.content.decode()[:500]
    job = HistoryImport.objects.latest("created_at")
    history.history_import_validate(job.pk)
    return job, client.get(reverse("reports:import_job", args=[job.pk]))


def test_file_with_one_bad_row_in_the_middle_imports_nothing(client, county, categories):
    client.force_login(county.a_manager)
    job, response = _upload(client, HEADER + GOOD + BAD + GOOD2)
    body = response.content.decode()
    job.refresh_from_db()
    assert job.status == "invalid"
    assert not Complaint.objects.exists()
    assert 'data-testid="confirm-import"' not in body
    errors = {(row, column) for row, column, _m in job.errors}
    assert errors == {
        (3, "受理时间"),
        (3, "联系电话"),
        (3, "被投诉机构代码"),
        (3, "投诉原因代码"),
        (3, "反馈时间"),
        (3, "是否有效投诉"),
        (3, "挽回损失"),
    }
    assert "行号" in body
    assert "机构代码“BANK-B”不存在或不在您的管辖范围内。" in body
    # Nothing more will read an invalid file: it is gone already.
    assert not job.file


def test_good_file_previews_then_imports_with_original_dates_and_no_notices(
    client, county, categories
):
    client.force_login(county.a_manager)
    job, response = _upload(client, HEADER + GOOD + GOOD2)
    body = response.content.decode()
    assert "共 2 行，全部通过校验。" in body
    # The summary: counts per institution, state (labels, not codes) and year.
    for shown in ("A-OUT1", "已反馈", "2025"):
        assert shown in body
    assert ">answered<" not in body
    # The confirm button comes before the summary and the rows.
    assert body.index('data-testid="confirm-import"') < body.index('data-testid="import-summary"')
    assert not Complaint.objects.exists()  # validation writes nothing
    response = client.post(reverse("reports:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    history.history_import_run(job.pk)  # what the worker does
    job.refresh_from_db()
    assert (job.status, job.imported_count) == ("done", 2)
    assert not job.file  # the upload is deleted once imported
    answered = Complaint.objects.get(complainant_name="王五")
    assert answered.status == "answered"
    assert answered.received_at == dt.datetime(2025, 3, 15, 9, 30, tzinfo=TZ)
    assert answered.answered_at == dt.datetime(2025, 3, 16, 10, 0, tzinfo=TZ)
    assert answered.complexity == "complex"
    open_one = Complaint.objects.get(complainant_name="赵六")
    assert (open_one.status, open_one.kind, open_one.intake_source) == (
        "in_progress",
        "consultation",
        "letter",
    )
    assert list(answered.timeline.values_list("action", flat=True)) == ["admin_change"]
    # The open historical case is long past due, yet the sweep says nothing about it.
    result = deadline_sweep()
    assert (result.reminded, result.overdue, result.escalated) == (0, 0, 0)
    assert not Notification.objects.exists()


def test_missing_required_column(county, categories):
    rows = imports.read_table("x.csv", "受理时间,投诉来源\n2025-01-01,电话\n".encode())
    result = imports.preview(actor=county.a_manager, rows=rows)
    assert not result.ok
    assert result.errors[0].message == "缺少必需的列。"


def test_xlsx_is_read(county, categories):
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append(GOOD.strip().split(","))
    buf = io.BytesIO()
    wb.save(buf)
    rows = imports.read_table("h.xlsx", buf.getvalue())
    assert imports.preview(actor=county.a_manager, rows=rows).ok


@pytest.mark.parametrize("who", ["a_teller", "a1_handler"])
def test_staff_without_rights_cannot_import(client, county, who):
    client.force_login(getattr(county, who))
    assert client.get(reverse("reports:import")).status_code == 404


def test_template_has_the_importers_columns_an_importable_example_and_code_lists(
    client, county, categories
):
    import io

    import openpyxl

    client.force_login(county.a_manager)
    response = client.get(reverse("reports:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = response.content
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["导入数据", "代码表"]
    data = [list(r) for r in wb["导入数据"].iter_rows(values_only=True)]
    assert data[0] == list(imports.COLUMNS)
    assert len(data) == 2
    # The example row is what the importer accepts, as the user downloads it.
    result = imports.preview(actor=county.a_manager, rows=imports.read_table("t.xlsx", content))
    assert result.errors == []
    assert result.ok
    codes = [list(r) for r in wb["代码表"].iter_rows(values_only=True)][2:]
    by_column: dict[str, set] = {}
    for column, value, _note in codes:
        by_column.setdefault(column, set()).add(value)
    assert {"电话", "12363 热线"} <= by_column["投诉来源"]
    assert by_column["状态"] == {"处理中", "已办结", "已反馈", "已归档", "不予受理", "已移送"}
    assert by_column["满意度"] == {"满意", "基本满意", "不满意"}
    assert by_column["是否有效投诉"] == {"是", "否"}
    assert {"B03", "B07"} <= by_column["业务类别代码"]
    assert {"C02", "C11"} <= by_column["投诉原因代码"]
    assert "服务渠道" in by_column["处理类别"]
    # Only the institutions this manager may import for: bank A's tree.
    assert by_column["被投诉机构代码"] == {"BANK-A", "A-OUT1", "A-OUT2"}
    assert "BANK-B" not in by_column["处理机构代码"]


def test_template_is_refused_to_staff_without_import_rights(client, county):
    client.force_login(county.a_teller)
    assert client.get(reverse("reports:import_template")).status_code == 404
