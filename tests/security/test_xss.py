"""Stored XSS: a corpus of payloads through every free-text field of a complaint,
rendered in the list, detail, print view, admin and exports: no executable markup
comes out."""

import io

import openpyxl
import pytest
from django.urls import reverse

from complaints import masking, workflow
from tests.complaints.helpers import register

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)//<a href=javascript:alert(1)>x</a>",
    "{{7*7}}<iframe src=//evil>",
]
RAW_MARKERS = ["<script>alert", "<img src=x", "<svg/onload", "<a href=javascript", "<iframe"]


@pytest.fixture
def hostile(county, intake):
    text = " ".join(PAYLOADS)
    c = register(
        county,
        intake(
            complainant_name="<b>x</b>",
            description=text,
            demand=text,
            contact_address=text,
            complained_staff_name="<i>y</i>",
        ),
    )
    workflow.complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="assign",
        institution=county.a_out1,
        handler=county.a1_handler,
        note=text,
    )
    workflow.complaint_act(actor=county.a1_handler, complaint_id=c.pk, action="start", note=text)
    workflow.complaint_act(actor=county.regulator, complaint_id=c.pk, action="supervise", note=text)
    workflow.complaint_act(
        actor=county.a1_handler,
        complaint_id=c.pk,
        action="resolve",
        findings=text,
        is_valid=True,
        measures=text,
        staff_opinion=text,
    )
    return c


def _assert_inert(body: str):
    for marker in RAW_MARKERS:
        assert marker not in body, marker


def test_pages_escape_every_payload(client, county, hostile):
    client.force_login(county.regulator)
    for url in (
        reverse("complaints:list"),
        reverse("home"),
        reverse("complaints:detail", args=[hostile.pk]),
        reverse("complaints:print", args=[hostile.pk]),
        reverse("admin:complaints_complaint_change", args=[hostile.pk]),
        reverse("admin:complaints_complaint_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        _assert_inert(body)
    detail = client.get(reverse("complaints:detail", args=[hostile.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail  # shown, as text


def test_reveal_fragment_escapes(client, county, hostile):
    client.force_login(county.regulator)
    body = client.post(reverse("complaints:reveal", args=[hostile.pk])).content.decode()
    _assert_inert(body)
    assert "&lt;b&gt;x&lt;/b&gt;" in body


def test_export_cells_are_text_not_markup(client, county, hostile):
    client.force_login(county.regulator)
    response = client.post(
        reverse("admin:complaints_complaint_export"),
        {
            "format": "1",
            "resource": "0",
            "complaintexportresource_description": "on",
            "complaintexportresource_tracking_no": "on",
        },
    )
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, row = list(ws.iter_rows(values_only=True))
    description = dict(zip(header, row, strict=True))["投诉事项"]
    # Kept verbatim as inert text in a cell (not escaped), at the export's list level
    # of masking: the fixture's address is the same text, so it is masked inside it.
    assert description == masking.Redactor(hostile, masking.LIST)(hostile.description)
    assert description.startswith("<scrip****")
