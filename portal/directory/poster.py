"""The outlet's poster (投诉渠道公示牌, A4): its channels and a QR code leading to the
online complaint form pre-set for the outlet.

The QR code is drawn here with segno (no external service, no image file): an inline
SVG that scales to the print size. It encodes the absolute address
``SITE_URL + reverse("portal:complain") + "?to=<pk>"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from complaints.pdf import add_chinese_fonts

if TYPE_CHECKING:
    from institutions.models import Institution

#: Medium error correction: still readable on a scuffed or badly lit poster.
ERROR_LEVEL = "m"
BORDER = 4  # the quiet zone the QR standard asks for, in modules


def complaint_url(institution: Institution) -> str:
    """The absolute address of the online complaint form pre-set for the institution."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('portal:complain')}?to={institution.pk}"


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg(url: str, *, title: str = "") -> SafeString:
    """The QR code as an inline ``<svg>`` without a fixed size (CSS sizes it); segno
    escapes the title, and the rest is its own markup."""
    svg = qr_code(url).svg_inline(
        border=BORDER, omitsize=True, svgclass="qr", lineclass=None, title=title or None
    )
    # segno writes the markup itself and escapes the title (tested).
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703 - escaped


# --- The same poster as a PDF (fpdf2, the CJK font shipped in complaints/fonts) --------

QR_SIZE = 62.0  # mm, quiet zone included: scans from an arm's length
MARGIN = 18.0  # mm
#: The page is one sheet: longer published text is cut here (the web page has it all),
#: so that in the worst case the QR code still starts above ``QR_LOWEST_TOP``.
NAME_CHARS = 40
SCOPE_CHARS = 120
OTHER_FACT_CHARS = 60
QR_LOWEST_TOP = 186.0  # mm: the code, its caption and the footer (at 262 mm) fit below


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def qr_runs(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR code's size in modules (quiet zone included) and its dark runs, one
    ``(row, first column, length)`` per horizontal run: the rectangles the PDF draws."""
    rows = [list(row) for row in qr_code(url).matrix_iter(border=BORDER)]
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return len(rows), runs


def render_pdf(institution: Institution, office: Institution | None, hotlines: list[str]) -> bytes:
    """The outlet's A4 poster as a one-page PDF: the same content as the HTML poster,
    the QR code drawn as filled rectangles (vector, sharp at any printer)."""
    from django.utils.translation import gettext as _
    from fpdf import FPDF

    from complaints.pdf import FAMILY

    unpublished = _("未公示")
    url = complaint_url(institution)
    facts = [
        (_("受理部门"), _cut(institution.complaint_department, OTHER_FACT_CHARS)),
        (_("受理范围"), _cut(institution.complaint_scope, SCOPE_CHARS)),
        (_("处理时限"), _cut(institution.complaint_time_limit, OTHER_FACT_CHARS)),
    ]
    facts = [(label, value or unpublished) for label, value in facts]
    if institution.address:
        facts.append((_("地址"), _cut(institution.address, OTHER_FACT_CHARS)))
    footer = ""
    if office is not None:
        footer = f"{_('对处理结果不满意的，可以向监管部门投诉：')}{office.name}"
        if hotlines:
            footer += f" · {_('投诉热线')} {' / '.join(hotlines)}"
        if office.complaint_phone:
            footer += f" · {_('电话')} {office.complaint_phone}"

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, 15, MARGIN)
    pdf.set_auto_page_break(auto=False)
    texts = [institution.name, institution.complaint_phone, footer, *(v for _l, v in facts)]
    add_chinese_fonts(pdf, texts)
    pdf.set_title(f"{_('投诉渠道公示')} {institution.name}")
    pdf.set_creator("complaints")
    pdf.add_page()
    width = pdf.epw

    pdf.set_fill_color(155, 28, 28)
    pdf.rect(0, 0, 210, 10, style="F")
    pdf.set_y(20)
    pdf.set_font(FAMILY, size=26)
    pdf.cell(width, 13, _("金融消费者投诉渠道公示"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=17)
    pdf.multi_cell(
        width, 9, _cut(institution.name, NAME_CHARS), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(4)

    pdf.set_draw_color(155, 28, 28)
    pdf.set_line_width(0.6)
    top = pdf.get_y()
    pdf.set_font(FAMILY, size=12)
    pdf.set_text_color(155, 28, 28)
    pdf.cell(width, 8, _("投诉电话"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FAMILY, size=30)
    pdf.cell(
        width,
        15,
        institution.complaint_phone or unpublished,
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.rect(MARGIN, top - 1, width, pdf.get_y() - top + 3)
    pdf.ln(7)

    label_width = 26
    for label, value in facts:
        pdf.set_font(FAMILY, size=12.5)
        pdf.cell(label_width, 7.5, label)
        pdf.multi_cell(width - label_width, 7.5, value, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    modules, runs = qr_runs(url)
    module = QR_SIZE / modules
    x0, y0 = (210 - QR_SIZE) / 2, min(max(pdf.get_y() + 4, 150.0), QR_LOWEST_TOP)
    pdf.set_fill_color(0, 0, 0)
    for row, col, length in runs:
        pdf.rect(x0 + col * module, y0 + row * module, length * module, module, style="F")
    pdf.set_y(y0 + QR_SIZE + 1)
    pdf.set_font(FAMILY, size=13)
    pdf.cell(width, 7, _("手机扫码 · 网上投诉"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=8.5)
    pdf.cell(width, 5, url, align="C", new_x="LMARGIN", new_y="NEXT")

    if footer:
        pdf.set_y(262)
        pdf.set_draw_color(150, 150, 150)
        pdf.set_line_width(0.3)
        pdf.line(MARGIN, pdf.get_y(), 210 - MARGIN, pdf.get_y())
        pdf.ln(2)
        pdf.set_font(FAMILY, size=11)
        pdf.multi_cell(width, 6, footer, align="C")
    return bytes(pdf.output())
