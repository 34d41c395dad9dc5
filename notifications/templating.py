"""The placeholders each consumer event provides, and rendering a message template
with them.

A template is plain text with ``{name}`` placeholders (``{{`` and ``}}`` for literal
braces). Only the names listed for its event are allowed, and only as bare names: no
attribute or index access, no conversion or format spec — the admin edits these texts,
and ``str.format`` would otherwise let a template reach into the values' attributes.
"""

from __future__ import annotations

from string import Formatter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ConsumerEvent, MessageChannel

E = ConsumerEvent

#: What each placeholder means (shown in the admin beside the template).
PLACEHOLDER_LABELS = {
    "tracking_no": gettext_lazy("投诉编号"),
    "institution": gettext_lazy("被投诉机构简称"),
    "due_date": gettext_lazy("答复期限"),
    "reason": gettext_lazy("延期原因"),
    "tracking_code": gettext_lazy("网上查询码"),
    "secret": gettext_lazy("查询密码"),
    "enquiry_url": gettext_lazy("查询链接"),
}

#: The placeholders each event provides; every caller of ``notify_consumer`` for the
#: event passes exactly these (checked), so any of them may appear in its template.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    E.ACCEPTED: ("tracking_no", "institution", "due_date"),
    E.ACCEPTED_ONLINE: ("tracking_code", "secret", "enquiry_url", "institution", "due_date"),
    E.EXTENDED: ("tracking_no", "institution", "due_date", "reason"),
    E.ANSWERED: ("tracking_no", "institution"),
    E.REOPENED: ("tracking_no", "institution"),
}


def placeholder_help(event: str) -> str:
    return "、".join(f"{{{name}}} {PLACEHOLDER_LABELS[name]}" for name in PLACEHOLDERS[event])


def _names(text: str) -> list[str]:
    """The placeholders in ``text``; raises ValidationError on anything but bare names
    or on unbalanced braces."""
    names = []
    try:
        parsed = list(Formatter().parse(text))
    except ValueError:
        raise ValidationError(
            _("花括号不成对。占位符写作 {名称}；要显示花括号本身，请写 {{ 或 }}。"),
            code="braces",
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValidationError(
                _("占位符“{%(name)s}”的写法不对：只能写 {名称}，不能带其他符号。"),
                params={
                    "name": f"{name}{'!' + conversion if conversion else ''}"
                    + (":" + spec if spec else "")
                },
                code="placeholder_syntax",
            )
        names.append(name)
    return names


def validate_template(template) -> None:
    """The admin's check of a template (``MessageTemplate.clean``): every placeholder
    is one its event provides; an e-mail has a subject."""
    errors: dict[str, list] = {}
    allowed = PLACEHOLDERS.get(template.event, ())
    for field in ("subject", "body"):
        text = getattr(template, field) or ""
        try:
            unknown = [n for n in _names(text) if n not in allowed]
        except ValidationError as e:
            errors.setdefault(field, []).append(e)
            continue
        if unknown:
            errors.setdefault(field, []).append(
                ValidationError(
                    _("未知的占位符：%(unknown)s。此事件可用的占位符：%(allowed)s。"),
                    params={
                        "unknown": "、".join(f"{{{n}}}" for n in dict.fromkeys(unknown)),
                        "allowed": placeholder_help(template.event),
                    },
                    code="unknown_placeholder",
                )
            )
    if template.channel == MessageChannel.EMAIL and not (template.subject or "").strip():
        errors.setdefault("subject", []).append(
            ValidationError(_("电子邮件模板须填写邮件标题。"), code="subject_required")
        )
    if errors:
        raise ValidationError(errors)


def render(text: str, context: dict[str, str]) -> str:
    """``text`` with its placeholders filled from ``context`` (a validated template and
    a complete context: a missing name is a programming error and raises KeyError)."""
    return text.format_map({name: str(context[name]) for name in _names(text)})
