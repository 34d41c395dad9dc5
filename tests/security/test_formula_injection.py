"""Spreadsheet exports neutralise cells that start with = + - @ (formula injection)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from complaints.resources import neutralise
from reports.models import ReportPack
from reports.services import report_pack_build
from tests.complaints.helpers import register

FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("value", FORMULAS)
def test_neutralise_prefixes_a_quote(value):
    assert neutralise(value) == "'" + value
    assert neutralise("正常文本") == "正常文本"
    assert neutralise(42) == 42


def test_admin_export_neutralises_formulas(client, county, intake):
    register(county, intake(description=FORMULAS[0]))
    client.force_login(county.regulator)
    response = client.post(
        reverse("admin:complaints_complaint_export"),
        {"format": "1", "resource": "0", "complaintexportresource_description": "on"},
    )
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws["A2"].value == "'" + FORMULAS[0]
    assert ws["A2"].data_type == "s"


def test_report_pack_neutralises_formulas(county, intake, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    when = dt.datetime(2026, 7, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    register(county, intake(complainant_name="=1+1", received_at=when, is_major=True))
    pack = ReportPack.objects.create(
        year=2026, quarter=3, root=county.pbc, requested_by=county.regulator
    )
    wb = openpyxl.load_workbook(report_pack_build(pack.pk).file.path)
    names = [row[3] for row in wb["重大投诉"].iter_rows(min_row=2, values_only=True)]
    assert names == ["'=***"]
