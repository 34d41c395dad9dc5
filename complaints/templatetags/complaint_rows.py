"""``{% complaint_rows rows %}``: the body of a complaint list (complaints/_rows.html).

Written in Python rather than as a template loop: a 25-row page through the template
engine took about 3 ms, as long as PostgreSQL takes for the whole page, and every
list page people keep open all day renders one (docs/performance.md, item 16). The
rows come from ``complaints.rows.present``: display values, personal fields already
masked. Every value is escaped (``html.escape``, as the template's autoescape
would); the badges are translated once per call.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _badge(css: str, text: str, title: str = "") -> str:
    title = f' title="{escape(title)}"' if title else ""
    return f' <span class="badge {css}"{title}>{escape(text)}</span>'


@register.simple_tag
def complaint_rows(rows, selectable: bool = False) -> SafeString:
    """``selectable``: a first column of checkboxes for the bulk actions (their form
    is ``#bulk-form``, outside the table; static/js/bulk.js)."""
    if not rows:
        return format_html(
            '<tr><td colspan="{}" class="muted">{}</td></tr>',
            10 if selectable else 9,
            _("没有符合条件的投诉。"),
        )
    awaiting = _badge("warn", _("待审批"), _("有延期申请待您审批"))
    select_label = _("选择 %(no)s")
    dispatched = _badge("info", _("人民银行转办"))
    major = _badge("bad", _("重大"))
    repeat = _badge("warn", _("重复"))
    overdue = _badge("bad", _("逾期"))
    answered_late = _badge("bad", _("超时反馈"))
    on_time = _badge("ok", _("按时"))
    provisional = _badge("warn", _("暂定"), _("该年度工作日历尚未发布"))
    out = []
    for r in rows:
        # The values are plain strings (rows.present): escaped here, one by one.
        e = {k: escape(v) for k, v in r.items() if isinstance(v, str)}
        flags = (
            (dispatched if r["dispatched"] else "")
            + (major if r["is_major"] else "")
            + (repeat if r["is_repeat"] else "")
            + (awaiting if r.get("awaiting_approval") else "")
        )
        if r["due"]:
            due = (
                e["due"]
                + (
                    overdue
                    if r["overdue"]
                    else answered_late
                    if r["answered_late"]
                    else on_time
                    if r["on_time"]
                    else ""
                )
                + (provisional if r["provisional"] else "")
            )
        else:
            due = "—"
        check = (
            f'<td><input type="checkbox" name="pk" value="{r["pk"]:d}" form="bulk-form"'
            f' data-bulk-row aria-label="{escape(select_label % {"no": r["tracking_no"]})}"></td>'
            if selectable
            else ""
        )
        out.append(
            f'<tr>{check}<td><a href="{e["url"]}">{e["tracking_no"]}</a>{flags}</td>'
            f"<td>{e['received']}</td><td data-user-content>{e['name']}</td><td>{e['phone']}</td>"
            f"<td>{e['category']} · {e['complexity']}</td>"
            f"<td data-user-content>{e['institution']}</td>"
            f"<td data-user-content>{e['handler'] or '—'}</td>"
            f'<td><span class="badge">{e["status"]}</span></td><td>{due}</td></tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308  # nosec B308 B703 - every value escaped
