"""Import of 12378 / 12363 hotline transfers: registered (and dispatched) through the
office's intake, deduplicated by the hotline's number, all or nothing with the rows
named, the number shown on the complaint page; hostile uploads answered 4xx."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import localtime

from complaints.enums import TimelineAction
from complaints.imports import hotline
from complaints.models import Complaint, HotlineTransfer, TimelineEntry

HEADER = [
    "热线",
    "工单编号",
    "受理时间",
    "投诉人姓名",
    "联系电话",
    "投诉事项",
    "投诉诉求",
    "被投诉机构代码",
    "业务类别代码",
    "投诉原因代码",
    "处理类别",
    "分办机构代码",
    "处理人",
]


def row(source_id, **kw):
    values = {
        "热线": "12378",
        "工单编号": source_id,
        "受理时间": "2026-11-02 09:30",
        "投诉人姓名": "赵六",
        "联系电话": "13912345678",
        "投诉事项": "信用卡年费未经同意扣收",
        "投诉诉求": "退还年费",
        "被投诉机构代码": "A-OUT1",
        "业务类别代码": "B0302",
        "投诉原因代码": "C02",
        "处理类别": "服务态度",
        "分办机构代码": "A-OUT1",
        "处理人": "a1_hdl",
        **kw,
    }
    return [values[h] for h in HEADER]


def as_csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(county, content, name="list.csv", actor=None):
    return hotline.hotline_import(
        actor=actor or county.regulator, name=name, stream=io.BytesIO(content)
    )


@pytest.fixture
def ready(county, categories, calendar):
    return county


def test_rows_are_registered_and_dispatched_with_the_source_id(ready):
    county = ready
    result = run(county, as_csv([row("GD-001"), row("GD-002", 处理人="", 分办机构代码="")]))
    assert (len(result.complaints), result.dispatched) == (2, 1)
    first = Complaint.objects.get(hotline_transfer__source_id="GD-001")
    assert (first.status, first.handler, first.intake_source) == (
        "assigned",
        county.a1_handler,
        "hotline_12378",
    )
    assert (first.accepting_institution, first.handling_institution) == (county.pbc, county.a_out1)
    assert localtime(first.received_at).strftime("%Y-%m-%d %H:%M") == "2026-11-02 09:30"
    actions = list(
        TimelineEntry.objects.filter(complaint=first)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[0] == TimelineAction.REGISTER
    second = Complaint.objects.get(hotline_transfer__source_id="GD-002")
    # Not dispatched: it waits in the office's own queue.
    assert (second.status, second.handling_institution) == ("registered", county.pbc)
    transfer = HotlineTransfer.objects.get(source_id="GD-002")
    assert (transfer.source, transfer.row, transfer.imported_by) == ("12378", 3, county.regulator)


def test_xlsx_and_official_codes_are_accepted(ready, taxonomy):
    taxonomy["C02"].official_code = "0202"
    taxonomy["C02"].save()
    result = run(ready, as_xlsx([row("X-1", 投诉原因代码="0202", 热线="12363")]), "list.xlsx")
    c = result.complaints[0]
    assert (c.cause.code, c.intake_source, c.hotline_transfer.source) == (
        "C02",
        "hotline_12363",
        "12363",
    )


def test_duplicate_and_bad_row_import_nothing_and_name_the_rows(ready):
    run(ready, as_csv([row("GD-001")]))
    before = Complaint.objects.count()
    content = as_csv(
        [
            row("GD-100"),
            row("GD-001"),  # row 3: imported before
            row("GD-101", 联系电话="abc"),  # row 4: bad phone
            row("GD-100"),  # row 5: repeats row 2
        ]
    )
    with pytest.raises(hotline.HotlineRefused) as refused:
        run(ready, content)
    errors = [(e.row, e.column) for e in refused.value.errors]
    assert errors == [(3, "工单编号"), (4, "联系电话"), (5, "工单编号")]
    assert "第 2 行" in refused.value.errors[2].message
    assert Complaint.objects.count() == before
    assert HotlineTransfer.objects.count() == 1


def test_same_number_on_the_other_hotline_is_not_a_duplicate(ready):
    run(ready, as_csv([row("GD-001")]))
    run(ready, as_csv([row("GD-001", 热线="12363")]))
    assert HotlineTransfer.objects.filter(source_id="GD-001").count() == 2


def test_a_number_taken_while_writing_rolls_back_every_row(ready):
    """Two imports of the same list at once: both pass validation, the unique
    constraint stops the second while it writes, and none of its rows stays."""
    validate = hotline._Validator(ready.regulator)
    rows = [(n, validate(n, dict(zip(HEADER, row(f"GD-{n}"), strict=True)))[0]) for n in (2, 3)]
    run(ready, as_csv([row("GD-3")]))  # the other import, first to write GD-3
    with pytest.raises(hotline.HotlineRefused) as refused:
        hotline._write(ready.regulator, "list.csv", rows)
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "工单编号")]
    assert list(HotlineTransfer.objects.values_list("source_id", flat=True)) == ["GD-3"]
    assert Complaint.objects.count() == 1


def test_missing_columns_and_empty_file(ready):
    with pytest.raises(hotline.HotlineRefused) as refused:
        run(ready, as_csv([["x"]], header=["热线"]))
    assert refused.value.errors[0].row == 1
    with pytest.raises(hotline.HotlineRefused) as refused:
        run(ready, as_csv([]))
    assert refused.value.errors[0].message == "文件中没有数据行。"


def test_only_the_office_may_import(ready):
    with pytest.raises(hotline.HotlineRefused):
        run(ready, as_csv([row("GD-1")]), actor=ready.a_manager)
    assert not Complaint.objects.exists()


# --- the page ---------------------------------------------------------------------------


def upload(client, content, name="list.csv"):
    return client.post(reverse("reports:hotline"), {"file": SimpleUploadedFile(name, content)})


def test_page_imports_and_complaint_page_shows_number(client, ready):
    client.force_login(ready.regulator)
    r = upload(client, as_csv([row("GD-777")]))
    assert r.status_code == 302
    c = Complaint.objects.get()
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert 'data-testid="hotline-source-id"' in page
    assert "GD-777" in page


def test_page_shows_row_errors_with_422(client, ready):
    client.force_login(ready.regulator)
    r = upload(client, as_csv([row("GD-1"), row("GD-1")]))
    assert r.status_code == 422
    assert [(e.row, e.column) for e in r.context["errors"]] == [(3, "工单编号")]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("list.xlsx", b"PK\x03\x04 not really a zip"),
        ("list.csv", b"\xff\xfe\x00\x00\x81\x82garbage\x00"),
        ("list.exe", b"MZ"),
        ("list.csv", b""),
    ],
)
def test_hostile_uploads_are_4xx(client, ready, name, content):
    client.force_login(ready.regulator)
    r = upload(client, content, name)
    assert r.status_code in (400, 422)
    assert not Complaint.objects.exists()


def test_non_regulator_gets_404(client, ready):
    client.force_login(ready.a_manager)
    assert client.get(reverse("reports:hotline")).status_code == 404
    assert upload(client, as_csv([row("GD-1")])).status_code == 404
