"""The PDF 《客户投诉处理单》: one A4 page carrying the complaint number, masked exactly
as the HTML print form for each role, the view logged as the print form logs it."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from complaints import masking
from complaints.models import PiiAccessLog

from .pii_text import FULL, complaint_with_numbers
from .test_free_text_pii import LEVELS, _user, shown


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    # fpdf2 may put a line break inside a long text; compare without whitespace.
    return "".join(reader.pages[0].extract_text().split())


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(("who", "level"), LEVELS)
def test_pdf_masks_like_the_print_form_and_logs_alike(client, county, intake, who, level):
    c = complaint_with_numbers(county, intake)
    client.force_login(_user(county, who))
    html_logs = PiiAccessLog.objects.count()
    client.get(reverse("complaints:print", args=[c.pk]))
    html_logs = PiiAccessLog.objects.count() - html_logs
    before = PiiAccessLog.objects.count()
    response = client.get(reverse("complaints:print_pdf", args=[c.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{c.tracking_no}.pdf"'
    text = _pdf_text(response)
    assert c.tracking_no in text
    assert _flat(masking.mask_phone(c.complainant_phone)) in text
    assert c.complainant_phone not in text
    for number in FULL:
        assert number not in text
    for key in ("demand", "findings", "measures"):
        assert _flat(shown(level)[key]) in text, key
    assert PiiAccessLog.objects.count() - before == html_logs
    if level == "detail":
        log = PiiAccessLog.objects.latest("pk")
        assert (log.user, log.complaint, log.kind) == (_user(county, who), c, "detail")


def test_pdf_of_an_unseen_complaint_is_not_found(client, county, intake):
    c = complaint_with_numbers(county, intake)
    client.force_login(county.b_manager)
    assert client.get(reverse("complaints:print_pdf", args=[c.pk])).status_code == 404


def test_a_name_outside_gb2312_still_prints(client, county, intake):
    from complaints import pdf as complaint_pdf

    if not complaint_pdf.SYSTEM_FONT.exists():
        pytest.skip("no system WenQuanYi font: characters outside GB2312 stay blank")
    c = complaint_with_numbers(county, intake)
    type(c).objects.filter(pk=c.pk).update(complainant_name="王喆")
    client.force_login(county.a_manager)
    text = _pdf_text(client.get(reverse("complaints:print_pdf", args=[c.pk])))
    assert "王喆" in text
