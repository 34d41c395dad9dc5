"""``{% complaint_table rows %}``: a list of complaints (complaints/_rows.html).

The list, the workbench and the board's drill-down lists show the same table; the
rows come from ``complaints.rows.present`` (display values, personal fields already
masked). The columns are named here once, so the header and the width of the
"nothing found" row cannot disagree.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

#: The columns of a complaint list, in order (one ``<td>`` each in complaints/_row.html).
COLUMNS = (
    _("投诉编号"),
    _("受理时间"),
    _("投诉人"),
    _("电话"),
    _("类别"),
    _("处理机构"),
    _("处理人"),
    _("状态"),
    _("答复期限"),
)


@register.inclusion_tag("complaints/_rows.html")
def complaint_table(rows, selectable: bool = False) -> dict:
    """``selectable``: a first column of checkboxes for the bulk actions (their form
    is ``#bulk-form``, outside the table; static/js/bulk.js)."""
    return {
        "rows": rows,
        "selectable": selectable,
        "columns": COLUMNS,
        "width": len(COLUMNS) + (1 if selectable else 0),
    }
