"""The office downloads its quarterly regulator return in the standard codes: refused
first with the codes still to map, then downloaded once they are mapped, its total
equal to a hand count of the quarter's complaints."""

import io
from datetime import datetime, time

import openpyxl
from django.utils import timezone

from reports.returns.definitions import load_definitions
from reports.returns.periods import QUARTERLY, Period


def test_office_downloads_its_quarterly_return(demo, login, page, live_server):
    from complaints.models import Complaint, TaxonomyCode
    from reports.models import ReturnDefinition

    load_definitions()  # the flushed test database lost what migration 0004 loaded
    today = timezone.localdate()
    quarter = Period(QUARTERLY, today.year, (today.month - 1) // 3 + 1)
    definition = ReturnDefinition.objects.get(slug="jrt0169-quarterly")

    login("pbc_supervisor")
    page.goto(f"{live_server.url}/reports/")
    page.get_by_test_id("returns-link").click()
    page.select_option("#id_definition", str(definition.pk))
    page.fill("#id_year", str(quarter.year))
    page.fill("#id_number", str(quarter.number))
    page.select_option("#id_format", "xlsx")
    page.get_by_test_id("download-return").click()
    # The demo's taxonomy has no official codes yet: refused, the codes listed.
    refused = page.get_by_test_id("missing-codes")
    refused.wait_for()
    assert "A101" in refused.inner_text()

    # The administrator maps the codes (and classifies what the demo left open).
    for t in TaxonomyCode.objects.all():
        t.official_code = f"9{t.code}"
        t.save(update_fields=["official_code"])
    codes = {t.code: t for t in TaxonomyCode.objects.all()}
    Complaint.objects.filter(channel__isnull=True).update(channel=codes["A101"])
    Complaint.objects.filter(business__isnull=True).update(business=codes["B01"])
    Complaint.objects.filter(cause__isnull=True).update(cause=codes["C01"])

    with page.expect_download() as info:
        page.get_by_test_id("download-return").click()
    download = info.value
    assert download.suggested_filename == f"jrt0169-quarterly-PBC-QH-{quarter.label}.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read())).active  # noqa: SIM115
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:7] == (
        "报送期间",
        "机构代码",
        "机构名称",
        "业务办理渠道代码(A)",
        "业务类别代码(B)",
        "投诉原因代码(C)",
        "受理数",
    )
    # Hand count: every demo complaint belongs to the one county office.
    start = timezone.make_aware(datetime.combine(quarter.start, time.min))
    expected = Complaint.objects.filter(received_at__gte=start).count()
    assert expected > 0
    assert sum(r[6] for r in rows[1:]) == expected
    assert all(str(r[3]).startswith("9A") and str(r[5]).startswith("9C") for r in rows[1:])
