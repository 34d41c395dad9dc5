"""The complaint state machine and the one entry point that performs its actions.

    registered ──assign──▶ assigned ──start──▶ in_progress ──resolve──▶ resolved
        │  ▲                   │                  │   ▲                    │
        │  └────escalate───────┴──────────────────┘   └─────reopen─────────┤
        ├──refuse──▶ refused                                               │
        └──transfer──▶ transferred                     answered ◀──answer──┘
                                                          │  └──reopen──▶ in_progress
                                                          └──archive──▶ archived

(docs/state-diagram.md is generated from the model by ``manage.py
complaint_state_diagram``.) Besides the state changes, ``supervise``,
``request_extension``, ``decide_extension`` and ``reverify`` are actions that leave
the state as it is but are recorded the same way.

``complaint_act`` is the only code that changes a complaint after registration.
Within one transaction it: locks the row (``SELECT … FOR UPDATE``), refuses a stale
version (two people acting at once: exactly one wins), checks the permission and the
business rules, calls the django-fsm transition, saves the changed fields, writes one
timeline row, and enqueues side effects with ``transaction.on_commit``. A refusal
raises before anything is written, so the record is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, can_proceed

from institutions import access
from institutions.access import complaints as complaint_access
from institutions.enums import Role
from institutions.models import Institution, User

from .enums import ComplaintStatus as S
from .enums import TimelineAction as A
from .errors import ConcurrentUpdate, PermissionRefused, TransitionRefused, WorkflowError
from .models import Complaint, ExtensionRequest, TimelineEntry, Urge

# Fields every action may touch besides its own.
_ALWAYS = ("status", "version", "last_activity_at")


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    permission: str
    timeline: str
    perform: Callable  # (actor, complaint, **data) -> (changed fields, note, payload)
    fsm: str | None = None  # the transition method, if the state changes


def _transition(complaint: Complaint, method_name: str) -> None:
    method = getattr(complaint, method_name)
    if not can_proceed(method):
        raise TransitionRefused(
            _("当前状态为“%(status)s”，不能执行此操作。")
            % {"status": complaint.get_status_display()}
        )
    method()


def _text(value, label: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise WorkflowError(_("请填写%(label)s。") % {"label": label}, code="missing_field")
    return value


# --- the actions -----------------------------------------------------------------------


def _refuse(actor, c, *, reason: str, note: str = "", **_kw):
    from .enums import RefusalReason

    if reason not in RefusalReason.values:
        raise WorkflowError(_("请选择不予受理原因。"), code="missing_field")
    c.refusal_reason = reason
    c.refusal_note = _text(note, _("不予受理说明"), required=reason == RefusalReason.OTHER)
    _transition(c, "refuse")
    return ("refusal_reason", "refusal_note", "closed_at"), c.refusal_note, {"reason": reason}


def _transfer(actor, c, *, to: str, reason: str, **_kw):
    c.transferred_to = _text(to, _("移送对象"))
    c.transfer_reason = _text(reason, _("移送原因"))
    _transition(c, "transfer")
    return ("transferred_to", "transfer_reason", "closed_at"), reason, {"to": c.transferred_to}


def _assign(
    actor, c, *, institution: Institution | int, handler: User | int, note: str = "", **_kw
):
    inst = (
        institution
        if isinstance(institution, Institution)
        else Institution.objects.filter(pk=institution).first()
    )
    if inst is None or not access.can_see_institution(actor, inst) or inst.is_regulator:
        raise WorkflowError(
            _("只能分办给您管辖范围内的金融机构。"), code="institution_out_of_scope"
        )
    user = handler if isinstance(handler, User) else User.objects.filter(pk=handler).first()
    if (
        user is None
        or not user.is_active
        or user.institution_id != inst.pk
        or user.role not in (Role.HANDLER, Role.MANAGER)
    ):
        raise WorkflowError(
            _("处理人必须是所选机构的投诉处理人员或消保管理员。"), code="handler_invalid"
        )
    if c.complained_staff_id and user.pk == c.complained_staff_id:
        # 非当事人: the person complained about never handles the complaint.
        raise WorkflowError(_("处理人不能是被投诉的当事人。"), code="handler_is_party")
    _transition(c, "assign")
    c.handling_institution = inst
    c.handler = user
    return (
        ("handling_institution", "handler", "assigned_at"),
        note,
        {
            "institution": inst.pk,
            "institution_name": inst.name,
            "handler": user.pk,
            "handler_name": user.get_full_name(),
        },
    )


def _start(actor, c, *, note: str = "", **_kw):
    _transition(c, "start")
    return ("started_at",), note, {}


def _escalate(actor, c, *, reason: str, major: bool = False, **_kw):
    reason = _text(reason, _("上报原因"))
    parent = c.handling_institution.parent
    if parent is None or parent.is_regulator:
        raise WorkflowError(
            _("处理机构已是最高层级，无法继续上报；如属重大投诉请标记为重大投诉报告监管。"),
            code="no_parent",
        )
    from_inst = c.handling_institution
    _transition(c, "escalate")
    c.handling_institution = parent
    fields = ["handling_institution", "handler", "escalation_level"]
    if major and not c.is_major:
        c.is_major = True
        fields.append("is_major")
    return (
        tuple(fields),
        reason,
        {
            "from_institution": from_inst.name,
            "to_institution": parent.name,
            "level": c.escalation_level,
            "major": c.is_major,
        },
    )


def _request_extension(actor, c, *, reason: str, requested_due_at, customer_told: bool, **_kw):
    from .enums import ACTIVE_STATES

    if c.status not in ACTIVE_STATES:
        raise TransitionRefused(_("只有未办结的投诉可以申请延期。"))
    reason = _text(reason, _("延期原因"))
    if not customer_told:
        raise WorkflowError(
            _("申请延期前须向客户说明原因并承诺办结时间。"), code="customer_not_told"
        )
    if requested_due_at is None or (c.due_at and requested_due_at <= c.due_at):
        raise WorkflowError(_("承诺办结时间必须晚于当前答复期限。"), code="due_not_later")
    if c.extensions.filter(decision=ExtensionRequest.Decision.PENDING).exists():
        raise WorkflowError(_("已有待审批的延期申请。"), code="extension_pending")
    req = ExtensionRequest.objects.create(
        complaint=c,
        requested_by=actor,
        reason=reason,
        requested_due_at=requested_due_at,
        customer_told=True,
        customer_told_at=timezone.now(),
        previous_due_at=c.due_at,
    )
    return (), reason, {"request": req.pk, "requested_due_at": requested_due_at.isoformat()}


def _decide_extension(actor, c, *, approve: bool, note: str = "", **_kw):
    req = c.extensions.filter(decision=ExtensionRequest.Decision.PENDING).first()
    if req is None:
        raise WorkflowError(_("没有待审批的延期申请。"), code="no_pending_extension")
    if req.requested_by_id == actor.pk:
        raise PermissionRefused(_("不能审批自己提出的延期申请。"))
    req.decision = (
        ExtensionRequest.Decision.APPROVED if approve else ExtensionRequest.Decision.REJECTED
    )
    req.decided_by, req.decided_at, req.decision_note = actor, timezone.now(), note
    req.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    payload = {"request": req.pk, "approved": approve}
    if not approve:
        return (), note, payload
    # The approved date replaces the due time; the old one stays on the request and
    # in the timeline payload. Reminder and overdue state start over.
    payload.update(
        previous_due_at=c.due_at.isoformat() if c.due_at else None,
        due_at=req.requested_due_at.isoformat(),
    )
    c.due_at = req.requested_due_at
    c.remind_at = c.escalate_at = c.reminded_at = c.overdue_at = c.auto_escalated_at = None
    from . import deadlines

    deadlines.restamp_after_extension(c)
    return (
        ("due_at", "remind_at", "escalate_at", "reminded_at", "overdue_at", "auto_escalated_at"),
        note,
        payload,
    )


def _supervise(actor, c, *, note: str, expected_by=None, **_kw):
    from .enums import ACTIVE_STATES

    if c.status not in (*ACTIVE_STATES, S.RESOLVED):
        raise TransitionRefused(_("已反馈或已终结的投诉无需督办。"))
    note = _text(note, _("督办意见"))
    urge = Urge.objects.create(complaint=c, urged_by=actor, note=note, expected_by=expected_by)
    return (
        (),
        note,
        {
            "urge": urge.pk,
            "note": note,
            "expected_by": expected_by.isoformat() if expected_by else None,
        },
    )


def _resolve(
    actor,
    c,
    *,
    findings: str,
    is_valid: bool | None,
    measures: str,
    money_recovered=Decimal("0"),
    staff_opinion: str = "",
    **_kw,
):
    c.findings = _text(findings, _("调查核实情况"))
    c.measures = _text(measures, _("处理措施"))
    if is_valid is None:
        raise WorkflowError(_("请认定是否为有效投诉。"), code="missing_field")
    c.is_valid = is_valid
    money = Decimal(money_recovered or 0)
    if money < 0:
        raise WorkflowError(_("挽回经济损失不能为负数。"), code="negative_amount")
    c.money_recovered = money
    c.staff_opinion = (staff_opinion or "").strip()
    if is_valid and (c.complained_staff_id or c.complained_staff_name) and not c.staff_opinion:
        raise WorkflowError(
            _("有效投诉须对被投诉责任人提出处理意见。"), code="staff_opinion_required"
        )
    if c.needs_reverification:
        raise TransitionRefused(
            _("重新处理的投诉须先填写重新核查分析，才能再次办结。"), code="reverification_required"
        )
    _transition(c, "resolve")
    return (
        ("findings", "measures", "is_valid", "money_recovered", "staff_opinion", "resolved_at"),
        c.findings,
        {"valid": is_valid, "money_recovered": str(money)},
    )


def _answer(actor, c, *, method: str, satisfaction: str, note: str = "", answered_at=None, **_kw):
    from .enums import AnswerPreference, Satisfaction

    if method not in AnswerPreference.values:
        raise WorkflowError(_("请选择反馈方式。"), code="missing_field")
    if satisfaction not in Satisfaction.values:
        raise WorkflowError(_("请选择客户满意度。"), code="missing_field")
    now = timezone.now()
    if answered_at and (answered_at > now or answered_at < c.received_at):
        raise WorkflowError(_("反馈时间须在受理时间之后且不晚于当前时间。"), code="bad_time")
    c.answer_method, c.satisfaction, c.answer_note = method, satisfaction, note.strip()
    c.answered_at = answered_at or now
    _transition(c, "answer")
    return (
        ("answer_method", "satisfaction", "answer_note", "answered_at"),
        note,
        {"satisfaction": satisfaction, "method": method, "on_time": c.answered_on_time},
    )


def _reopen(actor, c, *, reason: str, **_kw):
    reason = _text(reason, _("重新处理原因"))
    _transition(c, "reopen")
    return (
        (
            "reopen_count",
            "is_repeat",
            "needs_reverification",
            "reverification",
            "resolved_at",
            "answered_at",
            "satisfaction",
        ),
        reason,
        {"reopen_count": c.reopen_count},
    )


def _reverify(actor, c, *, analysis: str, **_kw):
    if not c.needs_reverification:
        raise WorkflowError(_("此投诉无需重新核查。"), code="not_needed")
    c.reverification = _text(analysis, _("重新核查分析（客户再次投诉的原因）"))
    c.needs_reverification = False
    return ("reverification", "needs_reverification"), c.reverification, {}


def _archive(actor, c, *, note: str = "", **_kw):
    _transition(c, "archive")
    return ("archived_at", "closed_at"), note, {}


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "refuse",
            gettext_lazy("不予受理"),
            "complaints.refuse_complaint",
            A.REFUSE,
            _refuse,
            "refuse",
        ),
        Action(
            "transfer",
            _("移送"),
            "complaints.transfer_complaint",
            A.TRANSFER,
            _transfer,
            "transfer",
        ),
        Action(
            "assign",
            gettext_lazy("分办"),
            "complaints.assign_complaint",
            A.ASSIGN,
            _assign,
            "assign",
        ),
        Action(
            "start",
            gettext_lazy("开始处理"),
            "complaints.start_complaint",
            A.START,
            _start,
            "start",
        ),
        Action(
            "escalate",
            _("逐级上报"),
            "complaints.escalate_complaint",
            A.ESCALATE,
            _escalate,
            "escalate",
        ),
        Action(
            "request_extension",
            _("申请延期"),
            "complaints.request_extension",
            A.REQUEST_EXTENSION,
            _request_extension,
        ),
        Action(
            "decide_extension",
            _("审批延期"),
            "complaints.approve_extension",
            A.APPROVE_EXTENSION,
            _decide_extension,
        ),
        Action(
            "supervise",
            gettext_lazy("督办"),
            "complaints.supervise_complaint",
            A.SUPERVISE,
            _supervise,
        ),
        Action(
            "resolve", _("办结"), "complaints.resolve_complaint", A.RESOLVE, _resolve, "resolve"
        ),
        Action(
            "answer",
            gettext_lazy("反馈"),
            "complaints.answer_complaint",
            A.ANSWER,
            _answer,
            "answer",
        ),
        Action(
            "reopen",
            gettext_lazy("重新处理"),
            "complaints.reopen_complaint",
            A.REOPEN,
            _reopen,
            "reopen",
        ),
        Action(
            "reverify", _("重新核查分析"), "complaints.reverify_complaint", A.REVERIFY, _reverify
        ),
        Action(
            "archive", _("归档"), "complaints.archive_complaint", A.ARCHIVE, _archive, "archive"
        ),
    ]
}


def available_actions(user, complaint: Complaint) -> list[Action]:
    """The actions this user may perform on this complaint now (for the buttons)."""
    from .enums import ACTIVE_STATES

    result = []
    for action in ACTIONS.values():
        if not user.has_perm(action.permission, complaint):
            continue
        if action.fsm and not can_proceed(getattr(complaint, action.fsm)):
            continue
        if action.name == "request_extension" and complaint.status not in ACTIVE_STATES:
            continue
        if action.name == "decide_extension" and not any(
            e.decision == ExtensionRequest.Decision.PENDING and e.requested_by_id != user.pk
            for e in complaint.extensions.all()
        ):
            continue
        if action.name == "reverify" and not complaint.needs_reverification:
            continue
        if action.name == "supervise" and complaint.status not in (*ACTIVE_STATES, S.RESOLVED):
            continue
        result.append(action)
    return result


def complaint_act(
    *, actor: User, complaint_id: int, action: str, expected_version: int | None = None, **data
) -> Complaint:
    """Perform ``action`` on a complaint as ``actor``.

    Raises Http404 when the actor cannot see the complaint (same as missing),
    ConcurrentUpdate when ``expected_version`` is stale or another transaction got
    there first, PermissionRefused / TransitionRefused / WorkflowError with a message
    for the user otherwise. On any exception nothing has been written."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise WorkflowError(_("未知的操作。"), code="unknown_action")
    with transaction.atomic():
        complaint = complaint_access.complaint_get_for_user(actor, complaint_id, lock=True)
        if expected_version is not None and complaint.version != int(expected_version):
            raise ConcurrentUpdate()
        if not actor.has_perm(spec.permission, complaint):
            raise PermissionRefused(_("您无权对此投诉执行“%(action)s”。") % {"action": spec.label})
        from_status = complaint.status
        fields, note, payload = spec.perform(actor, complaint, **data)
        now = timezone.now()
        complaint.version += 1
        complaint.last_activity_at = now
        try:
            complaint.save(update_fields=[*_ALWAYS, *fields])
        except ConcurrentTransition:
            raise ConcurrentUpdate() from None
        TimelineEntry.objects.create(
            complaint=complaint,
            actor=actor,
            action=spec.timeline,
            from_status=from_status,
            to_status=complaint.status,
            note=note or "",
            payload=payload,
            created_at=now,
        )
        if spec.name == "escalate" and complaint.is_major:
            report_major(complaint, actor=actor)
        from . import effects

        effects.after_action(complaint, spec.name, actor=actor, payload=payload)
    return complaint


def report_major(complaint: Complaint, *, actor: User | None) -> None:
    """A major complaint is reported to the regulator once, automatically (篇八):
    stamped, written to the timeline, and the supervisors are told."""
    if complaint.reported_to_regulator_at is not None:
        return
    complaint.reported_to_regulator_at = timezone.now()
    Complaint.objects.filter(pk=complaint.pk).update(
        reported_to_regulator_at=complaint.reported_to_regulator_at
    )
    TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        action=A.REPORT_MAJOR,
        from_status=complaint.status,
        to_status=complaint.status,
        note=_("重大投诉已自动报告人民银行。"),
        payload={"reported_by": actor.get_full_name() if actor else None},
    )
