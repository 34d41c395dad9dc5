"""``{% main_nav %}``: the links of the top bar that the signed-in user may follow
(templates/_nav.html).

Which links show is asked of the permissions on every request (``rules`` decides, as
for any other check); ``NAV`` is the one list of places, so the bar and its "更多"
menu are laid out from it rather than from a chain of ``{% if perms… %}``.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    (("training.view_trainingsession", "training:list", _("培训与公约")),),
    (("evaluation.view_results", "evaluation:home", _("考核评价")),),
    (("reports.view_reportpack", "reports:index", _("报表与数据")),),
    (("institutions.view_institution", "admin:index", _("管理后台")),),
)

IN_BAR = 4


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


@register.inclusion_tag("_nav.html", takes_context=True)
def main_nav(context) -> dict:
    """The places ``user`` may follow as ``(URL name, label)``: those before
    ``IN_BAR`` in the bar, the rest under 更多."""
    links = [
        (k, place[i][1], place[i][2])
        for k, (place, i) in enumerate(zip(NAV, shown(context["user"]), strict=True))
        if i is not None
    ]
    return {
        "bar": [(name, label) for k, name, label in links if k < IN_BAR],
        "more": [(name, label) for k, name, label in links if k >= IN_BAR],
    }
