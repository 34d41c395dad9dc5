"""What a timeline row says, in the reader's language.

A row keeps its facts as structured data (``payload``: codes, ids, ISO times) and a
note. The facts are turned into labelled values here, when the row is shown, so an
English reader sees "Answer method: Phone" even for a row written by a Chinese user;
notes written by people are shown as written, notes written by the system (the sweep,
the major-complaint report) are its own Chinese msgids and are translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import (
    AnswerPreference,
    AttachmentKind,
    ContactMethod,
    IntakeSource,
    MediationOutcome,
    PauseReason,
    RefusalReason,
    Satisfaction,
    WithdrawalChannel,
)
from .enums import TimelineAction as A
from .models import TimelineEntry, _choice_label

#: Rows whose note the system wrote (a msgid, translated when shown).
SYSTEM_NOTES = {
    A.REMIND,
    A.OVERDUE,
    A.AUTO_ESCALATE,
    A.REPORT_MAJOR,
    A.STATUTORY_REMIND,
    A.STATUTORY_OVERDUE,
}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    #: The value is stored data (a name), shown as entered, not a translated label.
    data: bool = False


def _when(value: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return parsed.strftime(fmt)


def _day(value: str | None) -> str:
    if not value:
        return ""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return value


# action -> [(payload key, label, how to show the value)]
_FACTS = {
    A.REGISTER: [("intake_source", gettext_lazy("投诉来源"), IntakeSource)],
    A.ASSIGN: [
        ("institution_name", gettext_lazy("处理机构"), None),
        ("handler_name", gettext_lazy("处理人"), None),
    ],
    A.ESCALATE: [("to_institution", gettext_lazy("上报至"), None)],
    A.REFUSE: [("reason", gettext_lazy("不予受理原因"), RefusalReason)],
    A.TRANSFER: [("to", gettext_lazy("移送至"), None)],
    A.REQUEST_EXTENSION: [("requested_due_at", gettext_lazy("承诺办结时间"), _when)],
    A.APPROVE_EXTENSION: [("due_at", gettext_lazy("新的答复期限"), _when)],
    A.SUPERVISE: [("expected_by", gettext_lazy("要求办结日期"), _day)],
    A.ANSWER: [
        ("method", gettext_lazy("反馈方式"), AnswerPreference),
        ("satisfaction", gettext_lazy("客户满意度"), Satisfaction),
    ],
    A.REOPEN: [("satisfaction", gettext_lazy("客户满意度"), Satisfaction)],
    A.CONSUMER_RATE: [("satisfaction", gettext_lazy("消费者评价"), Satisfaction)],
    A.PAUSE: [
        ("reason", gettext_lazy("中止计时原因"), PauseReason),
        ("consumer_told_via", gettext_lazy("告知消费者方式"), ContactMethod),
        ("consumer_told_at", gettext_lazy("告知消费者时间"), _when),
    ],
    A.RESUME: [
        ("due_at", gettext_lazy("新的答复期限"), _when),
        ("statutory_due_at", gettext_lazy("新的法定办理期限"), _when),
    ],
    A.EXTEND_STATUTORY: [
        ("days", gettext_lazy("延长后的法定时限（日）"), None),
        ("statutory_due_at", gettext_lazy("新的法定办理期限"), _when),
        ("consumer_told_via", gettext_lazy("告知消费者方式"), ContactMethod),
    ],
    A.REFILE: [("statutory_due_at", gettext_lazy("新的法定办理期限"), _when)],
    A.WITHDRAW: [
        ("withdrawn_on", gettext_lazy("收到撤诉日期"), _day),
        ("channel", gettext_lazy("撤诉方式"), WithdrawalChannel),
    ],
    A.MERGE: [("primary_no", gettext_lazy("合并至"), None)],
    A.MEDIATION_OPEN: [("case_no", gettext_lazy("调解编号"), None)],
    A.MEDIATION_END: [
        ("case_no", gettext_lazy("调解编号"), None),
        ("outcome", gettext_lazy("调解结果"), MediationOutcome),
    ],
    A.MERGED_IN: [("duplicate_no", gettext_lazy("合并的重复投诉"), None)],
    A.STATUTORY_REMIND: [("statutory_due_at", gettext_lazy("法定办理期限"), _when)],
    A.STATUTORY_OVERDUE: [("statutory_due_at", gettext_lazy("法定办理期限"), _when)],
    A.ATTACH: [("kind", gettext_lazy("材料类别"), AttachmentKind)],
    A.REMOVE_ATTACHMENT: [("kind", gettext_lazy("材料类别"), AttachmentKind)],
    A.CONTACT: [
        ("contacted_at", gettext_lazy("联系时间"), _when),
        ("method", gettext_lazy("联系方式"), ContactMethod),
        ("contact_with", gettext_lazy("联系对象"), None),
    ],
}


def facts(entry: TimelineEntry) -> list[Fact]:
    """The row's structured facts as label and value, in the active language."""
    out = []
    payload = entry.payload or {}
    for key, label, show in _FACTS.get(entry.action, ()):
        value = payload.get(key)
        if value in (None, ""):
            continue
        if isinstance(show, type):
            text = _choice_label(show, value)
        elif callable(show):
            text = show(value)
        else:
            text = str(value)
        out.append(Fact(str(label), str(text), data=show is None))
    if entry.action == A.RESOLVE and "valid" in payload:
        out.append(Fact(_("有效投诉"), _("是") if payload["valid"] else _("否")))
    if payload.get("attachments"):
        out.append(Fact(_("附件"), str(len(payload["attachments"]))))
    if payload.get("by") == "consumer":
        # Done by the consumer on the public portal, not by a member of staff.
        out.append(Fact(_("提出方"), _("消费者本人（网上）")))
    return out


def note(entry: TimelineEntry) -> str:
    """The note as the reader should see it."""
    if entry.action in SYSTEM_NOTES and entry.note:
        return _(entry.note)
    if entry.action == A.REGISTER and (entry.payload or {}).get("intake_source"):
        return ""  # the source is one of the facts now, in the reader's language
    return entry.note
