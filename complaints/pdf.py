"""The 《客户投诉处理单》 as a PDF (A4, one page for an ordinary case), drawn with
fpdf2 from the same rows as the HTML print form (complaints.printform), with the CJK
font shipped in complaints/fonts (no system font, no network)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from .printform import PrintForm

FONT = Path(__file__).parent / "fonts" / "wqy-microhei-gb2312.ttf"
FAMILY = "wqy"
#: The whole font where the host has it (Debian's fonts-wqy-microhei): used only for
#: characters outside the shipped GB2312 subset, such as rare name characters (喆, 堃).
SYSTEM_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FALLBACK = "wqy-full"
MARGIN = 13  # mm, as @page in static/css/print-form.css
LABEL_WIDTH = 30


@cache
def _shipped_characters() -> frozenset[int]:
    return frozenset(TTFont(FONT).getBestCmap())


def _texts(form: PrintForm):
    yield from (form.title, form.tracking_no, form.accepting_institution)
    for cells in form.rows:
        for cell in cells:
            yield from (cell.label, cell.value)
    for line in form.log:
        yield from (line.at, line.actor, line.action, line.text)


def add_chinese_fonts(pdf: FPDF, texts: Iterable[str]) -> None:
    """Register the shipped GB2312 subset font and, when any of ``texts`` holds a
    character outside it (a rare place or personal name), the system CJK font as a
    fallback, so such a character prints instead of vanishing. Used by every PDF
    the project renders (print forms, posters)."""
    pdf.add_font(FAMILY, fname=str(FONT))
    shipped = _shipped_characters()
    rare = any(ord(ch) not in shipped for text in texts for ch in text if ch > " ")
    if rare and SYSTEM_FONT.exists():
        pdf.add_font(FALLBACK, fname=str(SYSTEM_FONT), collection_font_number=0)
        pdf.set_fallback_fonts([FALLBACK])


def render(form: PrintForm) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, 12, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=12)
    add_chinese_fonts(pdf, _texts(form))
    pdf.set_title(f"{form.title} {form.tracking_no}")
    pdf.set_creator("complaints")
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FAMILY, size=16)
    pdf.cell(width, 9, form.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=10)
    pdf.cell(width / 2, 6, f"{_('编号')}：{form.tracking_no}")
    pdf.cell(
        width / 2,
        6,
        f"{_('受理机构')}：{form.accepting_institution}",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(1)

    value_width = (width - 2 * LABEL_WIDTH) / 2
    with pdf.table(
        col_widths=(LABEL_WIDTH, value_width, LABEL_WIDTH, value_width),
        first_row_as_headings=False,
        line_height=5,
        padding=1.2,
        text_align="LEFT",
        cell_fill_color=242,
        cell_fill_mode=TableCellFillMode.EVEN_COLUMNS,
    ) as table:
        for cells in form.rows:
            row = table.row()
            for cell in cells:
                row.cell(cell.label)
                row.cell(cell.value, colspan=3 if cell.wide else 1)

    pdf.ln(3)
    pdf.set_font(FAMILY, size=10.5)
    pdf.cell(width, 6, _("处理记录"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=8.5)
    with pdf.table(
        col_widths=(29, 20, 24, width - 73),
        line_height=4.2,
        padding=1,
        text_align="LEFT",
        headings_style=FontFace(emphasis="", fill_color=242),
    ) as table:
        table.row([_("时间"), _("操作人"), _("动作"), _("说明")])
        for line in form.log:
            table.row([line.at, line.actor, line.action, line.text])

    pdf.ln(8)
    pdf.set_font(FAMILY, size=10)
    blank = "＿" * 7
    third = width / 3
    pdf.cell(third, 6, f"{_('处理人签字')}：{blank}")
    pdf.cell(third, 6, f"{_('负责人签字')}：{blank}", align="C")
    pdf.cell(third, 6, f"{_('日期')}：{blank}", align="R")
    return bytes(pdf.output())
