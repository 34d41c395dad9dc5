"""``{% main_nav %}``: the links of the top bar that the signed-in user may follow.

Which links show is asked of the permissions on every request (``rules`` decides, as
for any other check). The markup of one set of links in one language is the same for
everyone, so it is written once per process: nine ``{% url %}``, nine
``{% translate %}`` and eight ``{% if %}`` took about 0.5 ms on every page
(docs/performance.md, item 17).
"""

from __future__ import annotations

import threading

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

register = template.Library()

#: The top bar, in order. Each place holds alternatives ``(permission or None, URL
#: name, label)``; the first the user has is shown, or none. The places from
#: ``IN_BAR`` on sit under a "更多" menu (always the same place, even for one link), so
#: the bar stays one row at 1366 px in either language for every role.
NAV = (
    ((None, "home", _("我的工作台")),),
    ((None, "complaints:list", _("投诉列表")),),
    (("complaints.add_complaint", "complaints:create", pgettext_lazy("top bar", "登记投诉")),),
    (
        ("supervision.view_board", "supervision:board", pgettext_lazy("top bar", "督查看板")),
        ("supervision.view_library", "supervision:library", _("案例库")),
    ),
    (("publicity.view_campaign", "publicity:campaign_list", _("宣传教育")),),
    (("evaluation.view_results", "evaluation:home", _("考核评价")),),
    (("reports.view_reportpack", "reports:index", _("报表与数据")),),
    (("institutions.view_institution", "admin:index", _("管理后台")),),
)

IN_BAR = 4

_lock = threading.Lock()
_written: dict[tuple, SafeString] = {}


def shown(user) -> tuple[int | None, ...]:
    """For each place of ``NAV``, the index of the alternative shown to ``user``."""
    chosen = []
    for place in NAV:
        index = None
        for i, (permission, _name, _label) in enumerate(place):
            if permission is None or user.has_perm(permission):
                index = i
                break
        chosen.append(index)
    return tuple(chosen)


def _write(chosen: tuple[int | None, ...]) -> SafeString:
    links = [
        (k, format_html('<a href="{}">{}</a>', reverse(place[i][1]), place[i][2]))
        for k, (place, i) in enumerate(zip(NAV, chosen, strict=True))
        if i is not None
    ]
    bar = [link for k, link in links if k < IN_BAR]
    more = [link for k, link in links if k >= IN_BAR]
    html = "\n".join(bar)
    if more:
        # <details>: opens and closes with the keyboard without script; static/js/nav.js
        # only closes it on Escape or a click elsewhere.
        html += format_html(
            '\n<details class="nav-more"><summary>{}</summary>'
            '<div class="nav-more-menu">{}</div></details>',
            _("更多"),
            mark_safe("\n".join(more)),  # noqa: S308  # nosec B308 B703 - format_html
        )
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 - format_html


@register.simple_tag(takes_context=True)
def main_nav(context) -> SafeString:
    chosen = shown(context["user"])
    key = (get_language(), get_script_prefix(), chosen)
    found = _written.get(key)
    if found is None:
        found = _write(chosen)
        with _lock:
            _written[key] = found
    return found
