"""The quarterly report pack: contents against hand-counted fixtures, the progress and
download flow, scope."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from reports.models import ReportPack
from reports.services import report_pack_build, report_pack_request
from tests.complaints.factories import ComplaintFactory

TZ = ZoneInfo("Asia/Shanghai")


def when(month, day, hour=10):
    return dt.datetime(2026, month, day, hour, tzinfo=TZ)


@pytest.fixture
def q3(county, categories):
    """Hand-counted Q3 2026 for bank A: 4 complaints; Q2 has 1; Q3 2025 has 2."""
    cat = categories["服务态度"]
    common = {
        "complained_institution": county.a_out1,
        "category": cat,
        "first_responder": county.a_teller,
    }
    ComplaintFactory(
        received_at=when(7, 1),
        due_at=when(7, 1, 17),
        statutory_due_at=when(7, 16, 17),
        answered_at=when(7, 1, 15),
        status="answered",
        satisfaction="satisfied",
        kind="complaint",
        money_recovered=Decimal("100.50"),
        complainant_name="张三",
        complainant_phone="13812345678",
        **common,
    )
    ComplaintFactory(
        received_at=when(8, 3),
        due_at=when(8, 3, 17),
        statutory_due_at=when(8, 18, 17),
        answered_at=when(8, 5, 9),
        status="answered",
        satisfaction="unsatisfied",
        kind="complaint",
        is_repeat=True,
        **common,
    )
    ComplaintFactory(
        received_at=when(9, 10),
        due_at=when(9, 10, 17),
        statutory_due_at=when(9, 25, 17),
        status="in_progress",
        kind="consultation",
        is_major=True,
        reported_to_regulator_at=when(9, 10, 11),
        intake_source="letter",
        **common,
    )
    ComplaintFactory(
        received_at=when(9, 20), due_at=when(9, 21, 17), status="refused", kind="report", **common
    )
    ComplaintFactory(received_at=when(5, 5), due_at=when(5, 5, 17), status="registered", **common)
    for day in (1, 2):
        ComplaintFactory(
            received_at=dt.datetime(2025, 8, day, 10, tzinfo=TZ), status="registered", **common
        )
    # Another county: never counted.
    ComplaintFactory(
        received_at=when(7, 2),
        complained_institution=county.bank_x,
        category=cat,
        status="registered",
    )


def _sheet(wb, title):
    return [list(r) for r in wb[title].iter_rows(values_only=True)]


def test_pack_contents_match_hand_counts(county, q3, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    pack = ReportPack.objects.create(
        year=2026, quarter=3, root=county.pbc, requested_by=county.regulator
    )
    pack = report_pack_build(pack.pk)
    assert (pack.status, pack.progress) == ("done", 100)
    wb = openpyxl.load_workbook(pack.file.path)
    assert wb.sheetnames == [
        "汇总",
        "按机构",
        "业务类别×投诉原因",
        "按渠道",
        "逾期与延期",
        "重大投诉",
        "典型案例",
        "宣传教育",
        "纠纷调解",
        "考核结果",
        "监管措施",
        "整改事项",
    ]
    summary = {r[0]: tuple(r[1:]) for r in _sheet(wb, "汇总")}
    assert summary["指标"] == ("2026年第3季度", "2026年第2季度", "2025年第3季度")
    assert summary["受理总量"] == (4, 1, 2)
    assert summary["其中：咨询"][0] == 1
    assert summary["其中：投诉"][0] == 2
    assert summary["其中：举报"][0] == 1
    # on time: 1 answered on time; late: 1 answered late + 1 open past due → 1/3
    assert summary["按时办结率"][0] == pytest.approx(1 / 3)
    assert summary["满意率"][0] == pytest.approx(0.5)
    assert summary["重复投诉率"][0] == pytest.approx(0.25)
    assert summary["挽回经济损失（元）"][0] == pytest.approx(100.5)
    assert summary["不予受理"][0] == 1
    ws = wb["汇总"]
    assert ws.freeze_panes == "A2"
    assert ws["B7"].number_format == "0.0%"
    by_source = {r[0]: r[1] for r in _sheet(wb, "按渠道")[1:]}
    assert (by_source["电话"], by_source["信件"]) == (3, 1)
    major = _sheet(wb, "重大投诉")
    assert len(major) == 2
    # Personal data masked in every row sheet.
    overdue = _sheet(wb, "逾期与延期")
    flat = " ".join(str(c) for row in overdue for c in row)
    assert "13812345678" not in flat
    names = {row[3] for row in overdue[1:]}
    assert names <= {"张*"}
    assert len(overdue) == 1 + 2  # answered late, and open past due


def test_request_download_flow_and_scope(client, county, q3, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county.regulator)
    response = client.post(
        reverse("reports:index"), {"year": 2026, "quarter": 3, "root": county.pbc.pk}
    )
    pack = ReportPack.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:pack", args=[pack.pk])
    body = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="pending"' in body
    assert 'hx-trigger="every 2s"' in body
    assert client.get(reverse("reports:download", args=[pack.pk])).status_code == 404
    report_pack_build(pack.pk)  # what the worker does
    body = client.get(reverse("reports:pack", args=[pack.pk])).content.decode()
    assert 'data-testid="download"' in body
    download = client.get(reverse("reports:download", args=[pack.pk]))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "汇总" in wb.sheetnames
    # Another bank's manager and another county's regulator cannot see it.
    for outsider in (county.b_manager, county.other_regulator):
        client.force_login(outsider)
        assert client.get(reverse("reports:pack", args=[pack.pk])).status_code == 404
        assert client.get(reverse("reports:download", args=[pack.pk])).status_code == 404


def test_tellers_cannot_generate(client, county):
    client.force_login(county.a_teller)
    assert client.get(reverse("reports:index")).status_code == 404
    with pytest.raises(Exception, match="无权"):
        report_pack_request(user=county.a_teller, year=2026, quarter=3, root=county.a_out1)


def test_by_institution_lists_every_bank_with_rates_and_empty_appraisal_says_so(
    county, q3, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    pack = ReportPack.objects.create(
        year=2026, quarter=3, root=county.pbc, requested_by=county.regulator
    )
    wb = openpyxl.load_workbook(report_pack_build(pack.pk).file.path)
    rows = _sheet(wb, "按机构")
    assert rows[0] == [
        "机构",
        "受理",
        "已反馈",
        "按时",
        "逾期",
        "按时办结率",
        "满意+基本满意",
        "满意率",
        "重复",
        "重复投诉率",
        "重大",
        "挽回损失",
        "法定时限内",
        "超过法定时限",
        "法定时限内办结率",
    ]
    by_name = {r[0]: r[1:] for r in rows[1:]}
    # Bank A: 4 received, 2 answered (1 on time), 2 late (1 answered late, 1 open past
    # due), 1 satisfied, 1 repeat, 1 major, 100.50 recovered; against the statutory
    # limit both answers were in time and the open one is past it (2 of 3).
    assert by_name[county.bank_a.name] == [
        4,
        2,
        1,
        2,
        1 / 3,
        1,
        0.5,
        1,
        0.25,
        1,
        100.5,
        2,
        1,
        2 / 3,
    ]
    # Bank B had no complaint: listed all the same, counts 0 and no rate to speak of.
    assert by_name[county.bank_b.name] == [0, 0, 0, 0, "—", 0, "—", 0, "—", 0, 0, 0, 0, "—"]
    assert county.bank_x.name not in by_name  # another county's bank
    assert wb["按机构"]["F2"].number_format == "0.0%"
    appraisal = _sheet(wb, "考核结果")
    assert appraisal[0] == ["机构", "总分", "排名", "等级", "重点监管"]
    assert appraisal[1][0] == (
        "本季度内没有已发布的考核结果（只列出在本季度内开始并结束、且已发布的考核期）。"
    )
    assert len(appraisal) == 2


def test_finished_pack_reads_done_once(client, county, q3, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    pack = report_pack_request(user=county.regulator, year=2026, quarter=3, root=county.pbc)
    report_pack_build(pack.pk)
    client.force_login(county.regulator)
    body = client.get(reverse("reports:pack", args=[pack.pk])).content.decode()
    assert '<strong data-testid="pack-status">已完成</strong></p>' in body
    assert "· 完成" not in body
