"""The campaign summary as an xlsx workbook: Chinese headers, numbers stored as
numbers (money as a two-decimal number), the header row and the institution column
frozen, and a total row."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .metrics import METRICS
from .selectors import CampaignSummary

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def summary_headers() -> list[str]:
    return [_("机构"), *(f"{m.label}（{m.unit}）" for m in METRICS)]


def summary_workbook(summary: CampaignSummary) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("宣传活动汇总")
    workbook.properties.title = str(summary.campaign.theme)

    sheet.append(summary_headers())
    for row in summary.rows:
        sheet.append([row.institution.name, *(value for _m, value in row.totals.cells)])
    sheet.append([_("合计"), *(value for _m, value in summary.total.cells)])

    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="EEF2F7")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for index, metric in enumerate(METRICS, start=2):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 12
        number_format = "#,##0.00" if metric.is_money else "0"
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = number_format
    sheet.column_dimensions["A"].width = 30
    sheet.row_dimensions[1].height = 36
    sheet.freeze_panes = "B2"

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
