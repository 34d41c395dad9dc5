"""What each action does to a complaint, given the submitted fields.

Called only by ``complaint_act`` after the table's permission, state and
preconditions passed, on the locked row. Each function validates what depends on
the submitted fields (raising ``WorkflowError`` before it changes anything it would
leave half-done), calls the model's transition where the state changes, and returns
an ``Outcome``. Keyword-only arguments: a misspelt field is a ``TypeError``, not a
value that silently goes missing.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from institutions import access
from institutions.enums import Role
from institutions.models import Institution, User

from ..enums import AnswerPreference, RefusalReason, Satisfaction, SatisfactionSource
from ..errors import WorkflowError
from ..models import Complaint, ExtensionRequest, Urge
from .base import Outcome, required_text


def refuse(actor: User, c: Complaint, *, reason: str, note: str = "") -> Outcome:
    if reason not in RefusalReason.values:
        raise WorkflowError(_("请选择不予受理原因。"), code="missing_field")
    note = (note or "").strip()
    if not note and (reason == RefusalReason.OTHER or c.is_major):
        # A major complaint is refused only with the reasons written out.
        raise WorkflowError(_("请填写不予受理说明。"), code="missing_field")
    c.refusal_reason, c.refusal_note = reason, note
    c.refuse()
    return Outcome(("refusal_reason", "refusal_note", "closed_at"), note, {"reason": reason})


def transfer(actor: User, c: Complaint, *, to: str, reason: str) -> Outcome:
    c.transferred_to = required_text(to, _("移送对象"))
    c.transfer_reason = required_text(reason, _("移送原因"))
    c.transfer()
    return Outcome(
        ("transferred_to", "transfer_reason", "closed_at"),
        c.transfer_reason,
        {"to": c.transferred_to},
    )


def assign(
    actor: User, c: Complaint, *, institution: Institution, handler: User, note: str = ""
) -> Outcome:
    if not access.can_see_institution(actor, institution) or institution.is_regulator:
        raise WorkflowError(
            _("只能分办给您管辖范围内的金融机构。"), code="institution_out_of_scope"
        )
    if (
        not handler.is_active
        or handler.institution_id != institution.pk
        or handler.role not in (Role.HANDLER, Role.MANAGER)
    ):
        raise WorkflowError(
            _("处理人必须是所选机构的投诉处理人员或消保管理员。"), code="handler_invalid"
        )
    if c.complained_staff_id and handler.pk == c.complained_staff_id:
        # 非当事人: the person complained about never handles the complaint.
        raise WorkflowError(_("处理人不能是被投诉的当事人。"), code="handler_is_party")
    c.assign()
    c.handling_institution, c.handler = institution, handler
    return Outcome(
        ("handling_institution", "handler", "assigned_at"),
        note,
        {
            "institution": institution.pk,
            "institution_name": institution.name,
            "handler": handler.pk,
            "handler_name": handler.get_full_name(),
        },
    )


def start(actor: User, c: Complaint, *, note: str = "") -> Outcome:
    c.start()
    return Outcome(("started_at",), note)


def escalate(actor: User, c: Complaint, *, reason: str, major: bool = False) -> Outcome:
    reason = required_text(reason, _("上报原因"))
    lower = c.handling_institution
    upper = lower.parent
    if upper is None:  # the table's precondition refuses this before we get here
        raise WorkflowError(_("已是最高层级，无法继续上报。"), code="top_level")
    c.escalate()
    c.handling_institution = upper
    fields = ["handling_institution", "handler", "escalation_level"]
    if major and not c.is_major:
        c.is_major = True
        fields.append("is_major")
    return Outcome(
        tuple(fields),
        reason,
        {
            "from_institution": lower.name,
            "to_institution": c.handling_institution.name,
            "level": c.escalation_level,
            "major": c.is_major,
        },
    )


def request_extension(
    actor: User,
    c: Complaint,
    *,
    reason: str,
    requested_due_at: datetime | None,
    customer_told: bool,
) -> Outcome:
    reason = required_text(reason, _("延期原因"))
    if not customer_told:
        raise WorkflowError(
            _("申请延期前须向客户说明原因并承诺办结时间。"), code="customer_not_told"
        )
    if requested_due_at is None or (c.due_at and requested_due_at <= c.due_at):
        raise WorkflowError(_("承诺办结时间必须晚于当前答复期限。"), code="due_not_later")
    req = ExtensionRequest.objects.create(
        complaint=c,
        requested_by=actor,
        reason=reason,
        requested_due_at=requested_due_at,
        customer_told=True,
        customer_told_at=timezone.now(),
        previous_due_at=c.due_at,
    )
    return Outcome(
        (), reason, {"request": req.pk, "requested_due_at": requested_due_at.isoformat()}
    )


def decide_extension(actor: User, c: Complaint, *, approve: bool, note: str = "") -> Outcome:
    from .. import deadlines
    from ..enums import TimelineAction as A

    # The precondition guaranteed a pending request by someone else.
    req = c.extensions.get(decision=ExtensionRequest.Decision.PENDING)
    req.decision = (
        ExtensionRequest.Decision.APPROVED if approve else ExtensionRequest.Decision.REJECTED
    )
    req.decided_by, req.decided_at, req.decision_note = actor, timezone.now(), note
    req.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    payload: dict[str, object] = {"request": req.pk, "approved": approve}
    if not approve:
        return Outcome((), note, payload, timeline=A.REJECT_EXTENSION)
    # The approved date replaces the due time (the old one stays on the request and
    # in the payload). It is a decided date, not a provisional one: the refresh of
    # provisional due times must never overwrite it. Reminder and overdue start over.
    payload["previous_due_at"] = c.due_at.isoformat() if c.due_at else None
    payload["due_at"] = req.requested_due_at.isoformat()
    c.due_at, c.due_provisional = req.requested_due_at, False
    c.remind_at = c.escalate_at = c.reminded_at = c.overdue_at = c.auto_escalated_at = None
    deadlines.restamp_after_extension(c)
    return Outcome(
        (
            "due_at",
            "due_provisional",
            "remind_at",
            "escalate_at",
            "reminded_at",
            "overdue_at",
            "auto_escalated_at",
        ),
        note,
        payload,
        timeline=A.APPROVE_EXTENSION,
    )


def supervise(actor: User, c: Complaint, *, note: str, expected_by: date | None = None) -> Outcome:
    note = required_text(note, _("督办意见"))
    if expected_by and expected_by < timezone.localdate():
        raise WorkflowError(_("要求办结日期不能早于今天。"), code="bad_date")
    urge = Urge.objects.create(complaint=c, urged_by=actor, note=note, expected_by=expected_by)
    return Outcome(
        (),
        note,
        {
            "urge": urge.pk,
            "note": note,
            "expected_by": expected_by.isoformat() if expected_by else None,
        },
    )


def resolve(
    actor: User,
    c: Complaint,
    *,
    findings: str,
    is_valid: bool | None,
    measures: str,
    money_recovered: Decimal | None = None,
    staff_opinion: str = "",
) -> Outcome:
    findings = required_text(findings, _("调查核实情况"))
    measures = required_text(measures, _("处理措施"))
    if is_valid is None:
        raise WorkflowError(_("请认定是否为有效投诉。"), code="missing_field")
    money = Decimal(money_recovered or 0)
    if money < 0:
        raise WorkflowError(_("挽回经济损失不能为负数。"), code="negative_amount")
    staff_opinion = (staff_opinion or "").strip()
    if is_valid and (c.complained_staff_id or c.complained_staff_name) and not staff_opinion:
        raise WorkflowError(
            _("有效投诉须对被投诉责任人提出处理意见。"), code="staff_opinion_required"
        )
    c.findings, c.measures, c.is_valid = findings, measures, is_valid
    c.money_recovered, c.staff_opinion = money, staff_opinion
    c.resolve()
    return Outcome(
        ("findings", "measures", "is_valid", "money_recovered", "staff_opinion", "resolved_at"),
        findings,
        {"valid": is_valid, "money_recovered": str(money)},
    )


def answer(
    actor: User,
    c: Complaint,
    *,
    method: str,
    satisfaction: str,
    note: str = "",
    answered_at: datetime | None = None,
) -> Outcome:
    if method not in AnswerPreference.values:
        raise WorkflowError(_("请选择反馈方式。"), code="missing_field")
    if satisfaction not in Satisfaction.values:
        raise WorkflowError(_("请选择客户满意度。"), code="missing_field")
    now = timezone.now()
    if answered_at and (answered_at > now or answered_at < c.received_at):
        raise WorkflowError(_("反馈时间须在受理时间之后且不晚于当前时间。"), code="bad_time")
    note = (note or "").strip()
    c.answer_method, c.satisfaction, c.answer_note = method, satisfaction, note
    c.satisfaction_source = SatisfactionSource.STAFF
    c.answered_at = answered_at or now
    c.answer()
    return Outcome(
        ("answer_method", "satisfaction", "satisfaction_source", "answer_note", "answered_at"),
        note,
        {"satisfaction": satisfaction, "method": method, "on_time": c.answered_on_time},
    )


def reopen(actor: User, c: Complaint, *, reason: str) -> Outcome:
    reason = required_text(reason, _("重新处理原因"))
    c.reopen()
    return Outcome(
        (
            "reopen_count",
            "is_repeat",
            "needs_reverification",
            "reverification",
            "resolved_at",
            "answered_at",
            "satisfaction",
            "satisfaction_source",
        ),
        reason,
        {"reopen_count": c.reopen_count},
    )


def reverify(actor: User, c: Complaint, *, analysis: str) -> Outcome:
    c.reverification = required_text(analysis, _("重新核查分析（客户再次投诉的原因）"))
    c.needs_reverification = False
    return Outcome(("reverification", "needs_reverification"), c.reverification)


def log_contact(
    actor: User,
    c: Complaint,
    *,
    method: str,
    summary: str,
    contacted_at: datetime | None = None,
    contact_with: str = "",
) -> Outcome:
    """联系记录: a call, message or visit to the customer while the case runs; the
    state stays as it is, the timeline keeps when, how, with whom and what was said."""
    from ..enums import ContactMethod

    if method not in ContactMethod.values:
        raise WorkflowError(_("请选择联系方式。"), code="missing_field")
    summary = required_text(summary, _("联系情况"))
    now = timezone.now()
    if contacted_at and (contacted_at > now or contacted_at < c.received_at):
        raise WorkflowError(_("联系时间须在受理时间之后且不晚于当前时间。"), code="bad_time")
    contacted_at = contacted_at or now
    return Outcome(
        (),
        summary,
        {
            "method": method,
            "contacted_at": contacted_at.isoformat(),
            "contact_with": (contact_with or "").strip(),
        },
    )


def archive(actor: User, c: Complaint, *, note: str = "") -> Outcome:
    c.archive()
    return Outcome(("archived_at", "closed_at"), note)


# --- The consumer's own steps (the portal acts as complaints.consumer's account) ------

CONSUMER = {"by": "consumer"}


def consumer_add(actor: User, c: Complaint, *, text: str = "", files=()) -> Outcome:
    """补充材料: the consumer adds information or evidence to an open complaint. The
    text loses any password or CVN written into it, as at intake; each file was
    checked by its content (complaints.attachments) and is stored privately."""
    from ..masking import scrub_authentication_data
    from ..services import attachments_store

    text, _scrubbed = scrub_authentication_data((text or "").strip())
    if not text and not files:
        raise WorkflowError(_("请填写补充说明或上传材料。"), code="missing_field")
    stored = attachments_store(complaint=c, files=files, source="consumer", uploaded_by=None)
    return Outcome((), text, {**CONSUMER, "attachments": [a.pk for a in stored]})


def consumer_rate(actor: User, c: Complaint, *, satisfaction: str, comment: str = "") -> Outcome:
    """The consumer's own rating of the answer (满意 / 基本满意). It replaces a rating
    staff recorded by phone; the one it replaced stays in the payload."""
    if satisfaction not in (Satisfaction.SATISFIED, Satisfaction.BASIC):
        raise WorkflowError(_("请选择满意或基本满意。"), code="missing_field")
    previous = {"previous": c.satisfaction, "previous_source": c.satisfaction_source}
    c.satisfaction, c.satisfaction_source = satisfaction, SatisfactionSource.CONSUMER
    return Outcome(
        ("satisfaction", "satisfaction_source"),
        (comment or "").strip(),
        {**CONSUMER, "satisfaction": satisfaction, **previous},
    )


def consumer_reopen(actor: User, c: Complaint, *, comment: str = "") -> Outcome:
    """不满意: the consumer's verdict reopens the complaint exactly as staff's reopen
    does (re-verification required before it can be resolved again); the timeline row
    says it came from the consumer."""
    reason = (comment or "").strip() or _("消费者对处理结果不满意")
    done = reopen(actor, c, reason=reason)
    return Outcome(
        done.fields, done.note, {**done.payload, **CONSUMER, "satisfaction": "unsatisfied"}
    )


# --- The case file (案卷材料) -----------------------------------------------------------


def attach(
    actor: User, c: Complaint, *, files=(), kind: str = "", description: str = ""
) -> Outcome:
    """添加材料: staff add evidence files; the state stays as it is. Each file is
    checked by its content and stored privately (``services.attachments_store``);
    the timeline says how many and of which kind, never the file names (which may
    hold personal data)."""
    from ..services import attachments_store

    if not files:
        raise WorkflowError(_("请选择要上传的文件。"), code="missing_field")
    stored = attachments_store(
        complaint=c,
        files=files,
        source="staff",
        uploaded_by=actor,
        kind=kind,
        description=description,
    )
    return Outcome(
        (),
        (description or "").strip(),
        {"attachments": [a.pk for a in stored], "kind": stored[0].kind},
    )


def attach_recording(
    actor: User,
    c: Complaint,
    *,
    system: str,
    identifier: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    sha256: str = "",
    description: str = "",
) -> Outcome:
    """登记录音录像: a recording that stays in the bank's recording system, attached
    by reference (system, identifier, time range, hash), not copied."""
    from ..services import attachment_reference_store

    ref = attachment_reference_store(
        complaint=c,
        uploaded_by=actor,
        system=system,
        identifier=identifier,
        starts_at=starts_at,
        ends_at=ends_at,
        sha256=sha256,
        description=description,
    )
    return Outcome(
        (),
        (description or "").strip(),
        {"attachments": [ref.pk], "kind": ref.kind, "reference": True},
    )


def remove_attachment(actor: User, c: Complaint, *, attachment, reason: str) -> Outcome:
    """删除材料: an item of the case file is removed with a reason; the row stays
    (who, when, why) and the file's content is deleted from storage."""
    from ..services import attachment_remove

    reason = required_text(reason, _("删除原因"))
    if attachment is None or attachment.complaint_id != c.pk or attachment.is_removed:
        raise WorkflowError(_("请选择要删除的材料。"), code="missing_field")
    attachment_remove(attachment=attachment, actor=actor, reason=reason)
    return Outcome(
        (),
        reason,
        {"attachment": attachment.pk, "kind": attachment.kind, "sha256": attachment.sha256},
    )
