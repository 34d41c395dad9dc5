"""The 《客户投诉处理单》 as rows of labelled cells, once for both of its renderings:
the HTML print page (complaints/print.html, printed from the browser) and the PDF
download (complaints.pdf). Both read the same masked values (``complaints.pii``), so a
role sees exactly the same on paper and in the PDF.

A cell is empty where nothing is known yet (an unresolved case has no 挽回损失, an
unanswered one no 反馈情况): on a paper form a blank means "not yet", a 0.00 or a
dash would read as a recorded fact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import timeline as timeline_text


@dataclass(frozen=True)
class Cell:
    label: str
    value: str
    #: spans the rest of the row (long texts)
    wide: bool = False
    #: a name or a number: printed on one line
    nowrap: bool = False


@dataclass(frozen=True)
class LogLine:
    at: str
    actor: str
    action: str
    text: str


@dataclass
class PrintForm:
    title: str
    tracking_no: str
    accepting_institution: str
    rows: list[list[Cell]] = field(default_factory=list)
    log: list[LogLine] = field(default_factory=list)


def _at(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _name(user) -> str:
    return user.get_full_name() if user else ""


def _facts(entry) -> str:
    return " · ".join(f.value for f in timeline_text.facts(entry))


def feedback_lines(complaint, earlier_answers) -> list[str]:
    """反馈情况: each answer given before a reopen (the customer was not satisfied
    with it), then the current answer; empty when the case was never answered."""
    lines = [
        _("第 %(n)d 次反馈：%(at)s %(facts)s（已重新处理）")
        % {"n": n, "at": _at(a.created_at), "facts": _facts(a)}
        for n, a in enumerate(earlier_answers, start=1)
    ]
    if complaint.answered_at:
        current = " · ".join(
            x
            for x in (complaint.get_answer_method_display(), complaint.get_satisfaction_display())
            if x
        )
        lines.append(f"{_at(complaint.answered_at)} {current}".strip())
    return lines


def attachment_names(attachments) -> str:
    """案卷材料 on paper: the name of each item only (kind, the description or the
    uploaded name, masked like the free text), never the content."""
    lines = []
    for n, a in enumerate(attachments, start=1):
        label = a.description or a.original_name or a.ref_identifier
        kind = a.get_kind_display()
        text = _("%(kind)s：%(label)s") % {"kind": kind, "label": label} if label else kind
        lines.append(f"{n}. {text}")
    return "\n".join(lines)


def build(*, complaint, party, text, timeline, earlier_answers, attachments=()) -> PrintForm:
    """The form of ``complaint`` from what the caller may see: ``party`` and ``text``
    are the masked party and free text of a ``pii.ComplaintView``, ``timeline`` its
    masked rows (``complaints.views._shown`` assembles them)."""
    c = complaint
    resolved = c.resolved_at is not None
    classification = " / ".join(
        x for x in (c.business and c.business.name, c.cause and c.cause.name) if x
    )
    if c.category_id:
        category = f"{c.category.name}（{c.get_complexity_display()}）"
        classification = f"{classification} · {category}" if classification else category
    valid = "" if c.is_valid is None else (_("是") if c.is_valid else _("否"))
    rows = [
        [
            Cell(_("受理时间"), _at(c.received_at), nowrap=True),
            Cell(_("投诉来源"), c.get_intake_source_display()),
        ],
        [
            Cell(_("投诉人"), party.name, nowrap=True),
            Cell(_("联系电话"), party.phone, nowrap=True),
        ],
        [
            Cell(_("证件号码"), party.id_number, nowrap=True),
            Cell(_("答复方式"), c.get_answer_preference_display()),
        ],
        [Cell(_("银行卡号/账号"), party.account_number, wide=True)],
        [
            Cell(_("被投诉机构"), c.complained_institution.name),
            Cell(_("被投诉人员"), c.complained_staff_name, nowrap=True),
        ],
        [Cell(_("投诉事项"), text["description"], wide=True)],
        [Cell(_("投诉诉求"), text["demand"], wide=True)],
        [Cell(_("分类"), classification, wide=True)],
        [
            Cell(_("首问责任人"), _name(c.first_responder), nowrap=True),
            Cell(_("答复期限"), _at(c.due_at), nowrap=True),
        ],
        [
            Cell(_("处理机构"), c.handling_institution.name if c.handling_institution_id else ""),
            Cell(_("处理人"), _name(c.handler), nowrap=True),
        ],
        [Cell(_("调查核实情况"), text["findings"], wide=True)],
        [Cell(_("处理措施"), text["measures"], wide=True)],
        [
            Cell(_("有效投诉"), valid),
            Cell(
                _("挽回损失（元）"),
                formats.number_format(c.money_recovered, 2)
                if resolved and c.money_recovered is not None
                else "",
                nowrap=True,
            ),
        ],
        [Cell(_("责任人处理意见"), text["staff_opinion"], wide=True)],
        [Cell(_("反馈情况"), "\n".join(feedback_lines(c, earlier_answers)), wide=True)],
        [Cell(_("案卷材料"), attachment_names(attachments), wide=True)],
    ]
    log = [
        LogLine(
            _at(t.created_at),
            _name(t.actor) or _("系统"),
            t.get_action_display(),
            "；".join(
                [f"{f.label}：{f.value}" for f in timeline_text.facts(t)]
                + ([timeline_text.note(t)] if timeline_text.note(t) else [])
            ),
        )
        for t in timeline
    ]
    return PrintForm(
        title=_("客户投诉处理单"),
        tracking_no=c.tracking_no,
        accepting_institution=c.accepting_institution.name,
        rows=rows,
        log=log,
    )
