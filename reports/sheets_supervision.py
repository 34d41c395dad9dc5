"""Sheets of the quarterly pack about the office's supervisory measures and the
rectification items, in the signature of ``reports.builder``'s sheet functions.
Rows come from the desk's selectors (``supervision.selectors.rectification``), so
the pack shows what the user's pages show."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.selectors.rectification import measure_list, rectification_list

from .builder import INT, Sheet


def measures_sheet(wb, title, *, user, quarter, root):
    """One row per measure taken in the quarter in ``root``'s area."""
    sheet = Sheet(
        wb,
        title,
        [
            (_("采取日期"), 12, None),
            (_("措施类型"), 16, None),
            (_("对象机构"), 34, None),
            (_("依据"), 40, None),
            (_("整改事项"), 10, INT),
        ],
    )
    qs = measure_list(user, root=root).filter(
        taken_on__gte=quarter.start, taken_on__lte=quarter.end
    )
    for m in qs.order_by("taken_on", "pk").iterator():
        sheet.append([m.taken_on, m.get_kind_display(), m.institution.name, m.basis, m.item_count])
    return sheet


def rectification_sheet(wb, title, *, user, quarter, root):
    """One row per item due in the quarter in ``root``'s area, with whether it was
    answered by its deadline and accepted."""
    sheet = Sheet(
        wb,
        title,
        [
            (_("整改机构"), 34, None),
            (_("来源"), 14, None),
            (_("整改要求"), 40, None),
            (_("整改期限"), 12, None),
            (_("状态"), 14, None),
            (_("按期完成"), 10, None),
        ],
    )
    qs = rectification_list(user, root=root).filter(
        due_on__gte=quarter.start, due_on__lte=quarter.end
    )
    for i in qs.iterator():
        on_time = (
            i.status == "accepted"
            and i.answered_at is not None
            and timezone.localtime(i.answered_at).date() <= i.due_on
        )
        sheet.append(
            [
                i.institution.name,
                i.get_source_display(),
                i.requirement,
                i.due_on,
                i.get_status_display(),
                _("是") if on_time else _("否"),
            ]
        )
    return sheet
