"""The mediation's state machine: one table of steps and one entry point.

::

    applied ──consent(both yes)──▶ mediating ──agreement──▶ agreed ──performance(done)──▶ performed
       │ consent(a party no)          │ fail                   └─ judicial (agreed, performed)
       ▼                              ▼
    declined                        failed          (fail also from applied)

``STEPS`` says for every step from which states, with which permission, done by
which function; ``refusal`` reads it and both the page (the forms it offers) and
``mediation_act`` go through it, so the page offers exactly what the service accepts.
``mediation_act`` locks the case, checks, performs, saves and writes one
``MediationEvent``; the complaint's own timeline hears of the start and the end
through ``complaints.mediation``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import masking
from complaints import mediation as complaint_mediation
from complaints.enums import MediationOutcome
from institutions import tree

from . import rules as access
from .enums import AGREEMENT_STATES, EventKind, JudicialDecision, Mode, Party
from .enums import MediationStatus as M
from .errors import MediationError, PermissionRefused, StepRefused
from .models import MediationAgreement, MediationCase, MediationEvent, Mediator, PerformanceRecord
from .models import MediationSession as Session

if TYPE_CHECKING:
    from institutions.models import User

MANAGE = "mediation.manage_mediationcase"
RESPOND = "mediation.respond_mediationcase"

#: Both parties may apply for judicial confirmation within this many days of the
#: agreement taking effect (法发〔2019〕27号; 人民调解法第三十三条).
JUDICIAL_WINDOW_DAYS = 30


# --- Input -------------------------------------------------------------------------------


def clean_text(value: Any, label: str, *, field: str, required: bool = True) -> str:
    """Free text as stored: stripped, authentication data (PIN, CVN…) dropped and
    every card, account, mobile or ID number masked, so that the mediation file can be
    printed and shown to both parties as it is."""
    text = str(value or "").strip()
    if not text:
        if required:
            raise MediationError(_("请填写%(label)s。") % {"label": label}, field=field)
        return ""
    text, _found = masking.scrub_authentication_data(text)
    return masking.mask_text(text, masking.DETAIL)


def _choice(value: Any, choices, label: str, *, field: str) -> str:
    if value not in choices.values:
        raise MediationError(_("请选择%(label)s。") % {"label": label}, field=field)
    return str(value)


def _day(value: Any, label: str, *, field: str) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise MediationError(_("请填写%(label)s。") % {"label": label}, field=field) from None


def time_limit_days(procedure: str) -> int:
    """The procedure's time limit in calendar days (``MEDIATION_TIME_LIMIT_DAYS``)."""
    return int(settings.MEDIATION_TIME_LIMIT_DAYS[procedure])


# --- Recusal (回避) -----------------------------------------------------------------------


def recusal_reason(mediator: Mediator, case: MediationCase) -> str | None:
    """Why ``mediator`` may not mediate ``case``, or None. A mediator is refused when
    they work at, or declared a conflict with, the institution concerned or a bank
    above or below it, or when they are one of the staff involved in the complaint
    (the staff complained about, its handler or its first responder)."""
    institution = case.institution
    related = [mediator.institution] if mediator.institution is not None else []
    related += list(mediator.conflicts.all())
    for other in related:
        if tree.is_within(institution, other) or tree.is_within(other, institution):
            return _("调解员与被申请机构%(name)s存在利害关系（任职或申报回避），应当回避。") % {
                "name": other.name
            }
    complaint = case.complaint
    if mediator.user_id and complaint is not None:
        involved = {
            complaint.complained_staff_id,
            complaint.handler_id,
            complaint.first_responder_id,
        }
        if mediator.user_id in involved:
            return _("调解员是该投诉涉及的工作人员，应当回避。")
    if not mediator.active:
        return _("该调解员已不在名册中。")
    if mediator.office_id != case.office_id:
        return _("请从本调解组织的调解员名册中选择。")
    return None


# --- Steps -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What a step did: the event's kind, note and party, the columns it changed
    besides ``status``, and how the complaint's mediation ended (if it did)."""

    kind: str
    fields: tuple[str, ...] = ()
    note: str = ""
    party: str = ""
    ended: str | None = None


def _consent(
    actor: User,
    case: MediationCase,
    *,
    party: Any = "",
    agreed: Any = None,
    reason: Any = "",
    remedies: Any = "",
) -> Result:
    party = _choice(party, Party, _("当事方"), field="party")
    if party == Party.CONSUMER and not actor.has_perm(MANAGE, case):
        raise PermissionRefused(_("机构只能记录本机构的意愿。"))
    if agreed not in (True, False):
        raise MediationError(_("请选择是否同意调解。"), field="agreed")
    column = "consumer_consent" if party == Party.CONSUMER else "institution_consent"
    if getattr(case, column) is not None:
        raise StepRefused(_("该当事方的意愿已记录。"), code="consent_recorded")
    setattr(case, column, agreed)
    if not agreed:
        case.end_reason = clean_text(reason, _("不同意调解的理由"), field="reason")
        case.remedies = (
            clean_text(remedies, _("告知的其他救济途径"), field="remedies", required=False)
            or default_remedies()
        )
        case.status = M.DECLINED
        case.closed_at = timezone.now()
        return Result(
            EventKind.DECLINE,
            (column, "end_reason", "remedies", "closed_at"),
            note=case.end_reason,
            party=party,
            ended=MediationOutcome.DECLINED,
        )
    if case.consumer_consent and case.institution_consent:
        case.status = M.MEDIATING
    return Result(EventKind.CONSENT, (column,), note=_("同意调解"), party=party)


def _assign_mediator(actor: User, case: MediationCase, *, mediator: Any = None) -> Result:
    pk = getattr(mediator, "pk", mediator)
    try:
        chosen = Mediator.objects.prefetch_related("conflicts").get(pk=int(pk))
    except (Mediator.DoesNotExist, TypeError, ValueError):
        raise MediationError(_("请选择调解员。"), field="mediator") from None
    reason = recusal_reason(chosen, case)
    if reason:
        raise MediationError(reason, code="recusal", field="mediator")
    case.mediator = chosen
    return Result(EventKind.MEDIATOR, ("mediator",), note=str(chosen))


def _session(
    actor: User,
    case: MediationCase,
    *,
    held_at: Any = None,
    mode: Any = "",
    place: Any = "",
    participants: Any = "",
    statements: Any = "",
    offers: Any = "",
) -> Result:
    if not isinstance(held_at, datetime):
        raise MediationError(_("请填写%(label)s。") % {"label": _("调解时间")}, field="held_at")
    if held_at > timezone.now() + timedelta(minutes=5):
        raise MediationError(_("调解时间不能晚于现在。"), field="held_at")
    session = Session(
        case=case,
        held_at=held_at,
        mode=_choice(mode, Mode, _("调解方式"), field="mode"),
        place=clean_text(place, _("地点或方式说明"), field="place")[:200],
        participants=clean_text(participants, _("参加人员"), field="participants"),
        statements=clean_text(statements, _("各方陈述"), field="statements"),
        offers=clean_text(offers, _("调解方案与各方意见"), field="offers", required=False),
        recorded_by=actor,
    )
    session.save()
    return Result(EventKind.SESSION, note=timezone.localtime(held_at).strftime("%Y-%m-%d %H:%M"))


def _agreement(actor: User, case: MediationCase, **data: Any) -> Result:
    labels = {
        "parties": _("当事人基本情况"),
        "facts": _("纠纷主要事实与争议事项"),
        "responsibilities": _("各方当事人的责任"),
        "terms": _("达成协议的内容"),
        "performance_method": _("履行方式"),
    }
    texts = {k: clean_text(data.get(k), label, field=k) for k, label in labels.items()}
    effective_on = _day(data.get("effective_on"), _("协议生效日期"), field="effective_on")
    perform_by = _day(data.get("perform_by"), _("履行期限"), field="perform_by")
    if effective_on > timezone.localdate():
        raise MediationError(_("协议生效日期不能晚于今天。"), field="effective_on")
    if effective_on < case.applied_on:
        raise MediationError(_("协议生效日期不能早于申请日期。"), field="effective_on")
    if perform_by < effective_on:
        raise MediationError(_("履行期限不能早于协议生效日期。"), field="perform_by")
    signatories = {}
    for key, label in (
        ("consumer_signatory", _("消费者签字")),
        ("institution_signatory", _("机构代表签字")),
    ):
        signatories[key] = clean_text(data.get(key), label, field=key)[:60]
    MediationAgreement.objects.create(
        case=case,
        effective_on=effective_on,
        perform_by=perform_by,
        recorded_by=actor,
        **texts,
        **signatories,
    )
    case.status = M.AGREED
    case.judicial_deadline = effective_on + timedelta(days=JUDICIAL_WINDOW_DAYS)
    return Result(
        EventKind.AGREEMENT,
        ("judicial_deadline",),
        note=_("协议自 %(day)s 起生效") % {"day": effective_on.isoformat()},
        ended=MediationOutcome.AGREED,
    )


def _performance(
    actor: User, case: MediationCase, *, note: Any = "", completed: Any = False
) -> Result:
    text = clean_text(note, _("履行情况"), field="note")
    PerformanceRecord.objects.create(
        case=case, note=text, completed=bool(completed), recorded_by=actor
    )
    if completed:
        now = timezone.now()
        case.status = M.PERFORMED
        case.performed_at = case.closed_at = now
        return Result(EventKind.PERFORMED, ("performed_at", "closed_at"), note=text)
    return Result(EventKind.PERFORMANCE, note=text)


def _judicial(
    actor: User,
    case: MediationCase,
    *,
    applied_on: Any = None,
    court: Any = "",
    court_case_no: Any = "",
    decision: Any = "",
    decided_on: Any = None,
) -> Result:
    if case.judicial_case_no:
        raise StepRefused(_("司法确认结果已记录。"), code="judicial_recorded")
    agreement = case.agreement
    applied = _day(applied_on, _("申请司法确认日期"), field="applied_on")
    if applied < agreement.effective_on:
        raise MediationError(_("申请日期不能早于协议生效日期。"), field="applied_on")
    if case.judicial_deadline and applied > case.judicial_deadline:
        raise MediationError(
            _("申请日期已超过协议生效后 %(days)s 日的司法确认申请期限。")
            % {"days": JUDICIAL_WINDOW_DAYS},
            field="applied_on",
        )
    case.judicial_applied_on = applied
    case.judicial_court = clean_text(court, _("受理法院"), field="court")[:120]
    case.judicial_case_no = clean_text(court_case_no, _("法院案号"), field="court_case_no")[:60]
    case.judicial_decision = _choice(decision, JudicialDecision, _("法院裁定"), field="decision")
    decided = _day(decided_on, _("裁定日期"), field="decided_on")
    if decided < applied or decided > timezone.localdate():
        raise MediationError(_("裁定日期应在申请日期与今天之间。"), field="decided_on")
    case.judicial_decided_on = decided
    return Result(
        EventKind.JUDICIAL,
        (
            "judicial_applied_on",
            "judicial_court",
            "judicial_case_no",
            "judicial_decision",
            "judicial_decided_on",
        ),
        note=" ".join(
            (case.judicial_court, case.judicial_case_no, case.get_judicial_decision_display())
        ),
    )


def _fail(actor: User, case: MediationCase, *, reason: Any = "", remedies: Any = "") -> Result:
    case.end_reason = clean_text(reason, _("调解不成的原因"), field="reason")
    case.remedies = (
        clean_text(remedies, _("告知的其他救济途径"), field="remedies", required=False)
        or default_remedies()
    )
    case.status = M.FAILED
    case.closed_at = timezone.now()
    return Result(
        EventKind.FAIL,
        ("end_reason", "remedies", "closed_at"),
        note=case.end_reason,
        ended=MediationOutcome.FAILED,
    )


def default_remedies() -> str:
    return _("当事人可以依法向人民法院提起诉讼、申请仲裁，或继续向金融管理部门投诉。")


# --- Preconditions -----------------------------------------------------------------------


def _has_mediator(case: MediationCase) -> MediationError | None:
    if case.mediator_id is None:
        return MediationError(_("请先指定调解员。"), code="no_mediator")
    return None


def _has_session(case: MediationCase) -> MediationError | None:
    if not case.sessions.exists():
        return MediationError(_("请先记录至少一次调解。"), code="no_session")
    return None


@dataclass(frozen=True)
class Step:
    name: str
    label: Promise
    states: tuple[str, ...]
    permissions: tuple[str, ...]
    perform: Callable[..., Result]
    preconditions: tuple[Callable[[MediationCase], MediationError | None], ...] = ()


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("consent", gettext_lazy("记录当事人意愿"), (M.APPLIED,), (MANAGE, RESPOND), _consent),
        Step(
            "assign_mediator",
            gettext_lazy("指定调解员"),
            (M.APPLIED, M.MEDIATING),
            (MANAGE,),
            _assign_mediator,
        ),
        Step(
            "session",
            gettext_lazy("记录调解"),
            (M.MEDIATING,),
            (MANAGE,),
            _session,
            (_has_mediator,),
        ),
        Step(
            "agreement",
            gettext_lazy("记录调解协议"),
            (M.MEDIATING,),
            (MANAGE,),
            _agreement,
            (_has_mediator, _has_session),
        ),
        Step(
            "performance",
            gettext_lazy("记录履行情况"),
            (M.AGREED,),
            (MANAGE, RESPOND),
            _performance,
        ),
        Step("judicial", gettext_lazy("记录司法确认"), AGREEMENT_STATES, (MANAGE,), _judicial),
        Step(
            "fail", gettext_lazy("调解不成，终结调解"), (M.APPLIED, M.MEDIATING), (MANAGE,), _fail
        ),
    )
}


def refusal(actor: User, case: MediationCase, step: Step) -> MediationError | None:
    """Why ``actor`` may not take ``step`` on ``case`` now, or None."""
    if not any(actor.has_perm(p, case) for p in step.permissions):
        return PermissionRefused()
    if case.status not in step.states:
        return StepRefused(
            _("调解处于“%(status)s”状态，不能%(step)s。")
            % {"status": case.get_status_display(), "step": step.label},
        )
    if step.name == "judicial" and case.judicial_case_no:
        return StepRefused(_("司法确认结果已记录。"), code="judicial_recorded")
    for check in step.preconditions:
        refused = check(case)
        if refused is not None:
            return refused
    return None


def available_steps(actor: User, case: MediationCase) -> list[Step]:
    return [s for s in STEPS.values() if refusal(actor, case, s) is None]


def mediation_act(*, actor: User, case_id: int, action: str, **data: Any) -> MediationCase:
    """Take ``action`` on a mediation case as ``actor`` with the submitted ``data``.

    Http404 when the actor cannot see the case (same as missing); the table's or the
    step's refusal otherwise (PermissionRefused 403, StepRefused 409, MediationError
    422). On any exception nothing has been written."""
    step = STEPS.get(action)
    if step is None:
        raise MediationError(_("未知的操作。"), code="unknown_action")
    with transaction.atomic():
        case = access.mediation_get_for_user(
            actor,
            case_id,
            queryset=MediationCase.objects.select_for_update(of=("self",)).select_related(
                "institution", "complaint"
            ),
        )
        refused = refusal(actor, case, step)
        if refused is not None:
            raise refused
        from_status = case.status
        result = step.perform(actor, case, **data)
        case.save(update_fields=["status", *result.fields])
        MediationEvent.objects.create(
            case=case,
            actor=actor,
            kind=result.kind,
            from_status=from_status,
            to_status=case.status,
            party=result.party,
            note=result.note,
        )
        if result.ended and case.complaint_id:
            complaint_mediation.complaint_mediation_ended(
                complaint_id=case.complaint_id,
                actor=actor,
                case_no=case.case_no,
                outcome=result.ended,
            )
    return case
