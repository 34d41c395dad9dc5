"""Template helpers of the desk: server-drawn bar charts (inline SVG: nothing is
fetched from anywhere, the intranet browser only renders), number formatting, and the
small block the complaint page includes."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
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
    optionally ``previous``, drawn as a thin grey bar under the current one)."""
    buckets = list(buckets)
    if not buckets:
        return format_html('<p class="muted">{}</p>', _("无数据"))
    row_h, bar_h = 26, 14
    has_prev = any(hasattr(b, "previous") for b in buckets)
    top = max([b.count if hasattr(b, "count") else b.current for b in buckets] + [1])
    if has_prev:
        top = max([top, *(b.previous for b in buckets)])
    bar_w = width - label_width - 50
    height = row_h * len(buckets) + 4

    def row(i, b):
        value = b.count if hasattr(b, "count") else b.current
        y = i * row_h + 4
        prev = ""
        if has_prev:
            prev = format_html(
                '<rect x="{}" y="{}" width="{}" height="4" fill="{}"><title>{}</title></rect>',
                label_width,
                y + bar_h + 1,
                round(bar_w * b.previous / top, 1),
                PREVIOUS_COLOUR,
                _("上期 %(n)s") % {"n": b.previous},
            )
        label = str(b.label)
        return (
            label_width - 6,
            y + bar_h - 3,
            label,
            label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…",
            label_width,
            y,
            round(bar_w * value / top, 1),
            bar_h,
            BAR_COLOUR,
            label_width + round(bar_w * value / top, 1) + 4,
            y + bar_h - 3,
            value,
            prev,
        )

    bars = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="12"><title>{}</title>{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="12">{}</text>{}',
        (row(i, b) for i, b in enumerate(buckets)),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}</svg>",
        title,
        width,
        height,
        title,
        bars,
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
