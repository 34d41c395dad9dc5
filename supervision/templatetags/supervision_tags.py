"""Template helpers of the desk: server-drawn bar charts (inline SVG drawn by
supervision/_hbars.html: nothing is fetched from anywhere, the intranet browser only
renders), number formatting, and the
small block the complaint page includes."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..selectors import complaint_supervision

register = template.Library()

BAR_COLOUR = "#1f5fa8"
PREVIOUS_COLOUR = "#9fb3c8"
#: Longer labels are cut (the full one is the bar's tooltip and in the table below).
LABEL_CHARS = 13


@register.simple_tag
def hbars(buckets, *, title: str = "", width: int = 560, label_width: int = 170) -> SafeString:
    """Horizontal bars for ``buckets`` (objects with ``label`` and ``count``, and
    optionally ``previous``, drawn as a thin grey bar under the current one), drawn
    by supervision/_hbars.html; here only the geometry."""
    buckets = list(buckets)
    row_h, bar_h = 26, 14
    has_prev = any(hasattr(b, "previous") for b in buckets)
    top = max([b.count if hasattr(b, "count") else b.current for b in buckets] + [1])
    if has_prev:
        top = max([top, *(b.previous for b in buckets)])
    bar_w = width - label_width - 50
    bars = []
    for i, b in enumerate(buckets):
        value = b.count if hasattr(b, "count") else b.current
        y = i * row_h + 4
        label = str(b.label)
        length = round(bar_w * value / top, 1)
        bars.append(
            {
                "label": label,
                "short": label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…",
                "value": value,
                "y": y,
                "text_y": y + bar_h - 3,
                "length": length,
                "value_x": label_width + length + 4,
                "previous": b.previous if has_prev else None,
                "previous_y": y + bar_h + 1,
                "previous_length": round(bar_w * b.previous / top, 1) if has_prev else 0,
            }
        )
    return render_to_string(
        "supervision/_hbars.html",
        {
            "title": title,
            "bars": bars,
            "width": width,
            "height": row_h * len(buckets) + 4,
            "label_width": label_width,
            "label_end": label_width - 6,
            "bar_h": bar_h,
            "colour": BAR_COLOUR,
            "previous_colour": PREVIOUS_COLOUR,
        },
    )


@register.filter
def percent(value) -> str:
    """0.8333 → "83.3%"; None → "—"."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def signed(value, unit: str = "count") -> str:
    """A change with its sign: +3, −2, +5.0 个百分点 for rates; "—" when unknown."""
    if value is None:
        return "—"
    if unit == "rate":
        points = float(value) * 100
        return _("%(v)s 个百分点") % {"v": f"{points:+.1f}"}
    if isinstance(value, Decimal) or unit == "money":
        return f"{Decimal(value):+,.2f}"
    return f"{value:+d}"


@register.simple_tag(takes_context=True)
def supervision_for_complaint(context, complaint):
    """The typical/enforcement cases made from ``complaint`` as the current user may
    see them, and whether they may make one (for the complaint page)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return None
    return complaint_supervision(user, complaint)
