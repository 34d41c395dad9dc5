"""答复模板: standard answer wording with placeholders, and filling it for one user.

A template's text holds placeholders in braces, ``{customer_name}``; ``{{`` and
``}}`` are literal braces. Only the names in ``PLACEHOLDERS`` are accepted, plain
(no attribute, index, conversion or format spec: ``{customer_name.__class__}`` is
refused like an unknown name), checked when the template is saved (``clean``) and
again when it is filled.

Filling never uses ``str.format``: the text is parsed and each placeholder replaced
by a value computed here from what the user may see — the customer's name exactly
as the caller's ``PartyView`` shows it (``complaints.pii``: the full name for those
who see the detail level, the masked one for everyone else), never the stored
field. So a template cannot bring into the answer form anything the page itself
would not show the user.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions import tree

from .models import AnswerTemplate, Complaint

if TYPE_CHECKING:
    from institutions.models import User

    from .pii import PartyView

#: placeholder → what it is (shown beside the template's text when it is edited).
PLACEHOLDERS = {
    "customer_name": _("投诉人姓名（按您的权限显示）"),
    "tracking_no": _("投诉编号"),
    "received_date": _("受理日期"),
    "due_date": _("答复期限"),
    "amount": _("涉及金额（元）"),
    "institution": _("处理机构"),
    "complained_institution": _("被投诉机构"),
    "today": _("今天的日期"),
}


def _parse(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(string.Formatter().parse(text))
    except ValueError:
        raise ValidationError(
            _("模板中的花括号不成对：占位符写作 {customer_name}，花括号本身写作 {{ 或 }}。"),
            code="bad_braces",
        ) from None


def check_placeholders(text: str) -> None:
    """Refuse a template whose placeholders are not all known and plain; the error
    names each unknown one and lists the known ones."""
    unknown = []
    for _literal, name, spec, conversion in _parse(text or ""):
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            unknown.append(shown)
    if unknown:
        raise ValidationError(
            _("未知的占位符：%(unknown)s。可用的占位符：%(known)s。"),
            code="unknown_placeholder",
            params={
                "unknown": str(_("、")).join(unknown),
                "known": str(_("、")).join("{" + n + "}" for n in PLACEHOLDERS),
            },
        )


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def values_for(complaint: Complaint, party: PartyView) -> dict[str, str]:
    """The placeholders' values for this complaint as ``party`` (the caller's view of
    the personal data) shows it."""
    return {
        "customer_name": party.name,
        "tracking_no": complaint.tracking_no,
        "received_date": _date(complaint.received_at),
        "due_date": _date(complaint.due_at),
        "amount": f"{complaint.amount:,.2f}" if complaint.amount is not None else "",
        "institution": complaint.handling_institution.name,
        "complained_institution": complaint.complained_institution.name,
        "today": _date(timezone.localdate()),
    }


def fill(text: str, values: dict[str, str]) -> str:
    check_placeholders(text)
    return "".join(
        literal + (values[name] if name is not None else "")
        for literal, name, _spec, _conversion in _parse(text)
    )


def templates_for(complaint: Complaint) -> QuerySet[AnswerTemplate]:
    """The active templates that apply to ``complaint``: those of its handling
    institution, of any institution above it and of its supervising office, for its
    handling category or for every category."""
    return (
        AnswerTemplate.objects.filter(
            is_active=True,
            institution_id__in=tree.with_ancestors_and_office(complaint.handling_institution),
        )
        .filter(Q(category__isnull=True) | Q(category_id=complaint.category_id))
        .order_by("title", "pk")
    )


def offered(complaint: Complaint, party: PartyView) -> list[tuple[AnswerTemplate, str]]:
    """Each applicable template with its text filled for the caller."""
    values = values_for(complaint, party)
    out = []
    for template in templates_for(complaint):
        try:
            out.append((template, fill(template.text, values)))
        except ValidationError:
            continue  # saved before a placeholder was retired: not offered
    return out


def templates_managed_by(user: User) -> QuerySet[AnswerTemplate]:
    from institutions import access

    return access.scope(
        user, AnswerTemplate.objects.select_related("institution", "category"), "institution"
    ).order_by("institution__path", "title", "pk")


def template_save(*, actor: User, template: AnswerTemplate) -> AnswerTemplate:
    """Save a template a manager edited (the form checked its placeholders and that
    its institution is in the manager's scope); stamps who and when."""
    template.full_clean()
    template.updated_by, template.updated_at = actor, timezone.now()
    template.save()
    return template
