import io
from pathlib import Path

import openpyxl
from django.core.management import call_command
from django.urls import reverse

from complaints.models import PiiAccessLog

from .helpers import register

ROOT = Path(__file__).resolve().parents[2]


def test_state_diagram_doc_is_generated_from_code(capsys):
    call_command("complaint_state_diagram", "--markdown")
    assert (ROOT / "docs" / "state-diagram.md").read_text() == capsys.readouterr().out


def test_admin_list_is_masked_and_scoped(client, county, intake):
    c = register(county, intake())
    client.force_login(county.regulator)
    body = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert c.tracking_no in body
    assert "138****5678" in body
    assert "13812345678" not in body
    client.force_login(county.other_regulator)
    body = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert c.tracking_no not in body


def test_admin_export_is_masked_and_audited(client, county, intake):
    register(county, intake())
    client.force_login(county.regulator)
    response = client.post(
        reverse("admin:complaints_complaint_export"),
        {
            "format": "1",
            "resource": "0",
            **{
                f"complaintexportresource_{f}": "on"
                for f in (
                    "tracking_no",
                    "complainant_name",
                    "complainant_phone",
                    "id_number",
                    "status",
                )
            },
        },
    )
    assert response.status_code == 200, response.content[:500]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header, first = rows[0], rows[1]
    data = dict(zip(header, first, strict=True))
    assert data["联系电话"] == "138****5678"
    assert data["证件号码"] == "1****************8"
    assert data["投诉人"] == "李*"
    assert PiiAccessLog.objects.filter(kind="export", user=county.regulator).count() == 1
