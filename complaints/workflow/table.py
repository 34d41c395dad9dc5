"""The action table: for every action on a complaint, from which states, by whom,
under which preconditions, done by which function, labelled how. ``refusal`` reads
it for one (actor, complaint, action); ``available_actions`` and ``complaint_act``
both go through ``refusal``, so the page offers exactly what the service accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..enums import ACTIVE_STATES, OPEN_STATES
from ..enums import ComplaintStatus as S
from ..enums import TimelineAction as A
from ..errors import PermissionRefused, TransitionRefused, WorkflowError
from ..models import Complaint
from . import actions, clock, conditions
from .base import Outcome, Precondition

if TYPE_CHECKING:
    from institutions.models import User


@dataclass(frozen=True)
class Action:
    """One row of the table.

    ``transition`` names the model's FSM transition when the state changes; its
    source states and target then come from the model's graph. Actions that leave
    the state as it is declare ``states`` instead. ``permission`` is a django-rules
    permission (``complaints.rules``); ``preconditions`` run in order,
    the first refusal wins."""

    name: str
    label: Promise
    permission: str
    timeline: str
    perform: Callable[..., Outcome]
    transition: str | None = None
    states: tuple[str, ...] = ()
    preconditions: tuple[Precondition, ...] = ()

    @cached_property
    def sources(self) -> frozenset[str]:
        if self.transition is None:
            return frozenset(self.states)
        return frozenset(t.source for t in _transitions(self.transition))

    @cached_property
    def target(self) -> str | None:
        """The state after the action; None when the state stays as it is."""
        if self.transition is None:
            return None
        (target,) = {t.target for t in _transitions(self.transition)}
        return target


def _transitions(name: str) -> list:
    field = Complaint._meta.get_field("status")
    found = [t for t in field.get_all_transitions(Complaint) if t.name == name]
    if not found:
        raise LookupError(f"Complaint has no transition {name!r}")
    return found


# Every action first asks whether the actor is the person complained about.
_P = (conditions.not_a_party,)

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "refuse",
            gettext_lazy("不予受理"),
            "complaints.refuse_complaint",
            A.REFUSE,
            actions.refuse,
            transition="refuse",
            preconditions=_P,
        ),
        Action(
            "transfer",
            gettext_lazy("移送"),
            "complaints.transfer_complaint",
            A.TRANSFER,
            actions.transfer,
            transition="transfer",
            preconditions=_P,
        ),
        Action(
            "assign",
            gettext_lazy("分办"),
            "complaints.assign_complaint",
            A.ASSIGN,
            actions.assign,
            transition="assign",
            preconditions=_P,
        ),
        Action(
            "start",
            gettext_lazy("开始处理"),
            "complaints.start_complaint",
            A.START,
            actions.start,
            transition="start",
            preconditions=_P,
        ),
        Action(
            "escalate",
            gettext_lazy("逐级上报"),
            "complaints.escalate_complaint",
            A.ESCALATE,
            actions.escalate,
            transition="escalate",
            preconditions=(*_P, conditions.has_higher_level),
        ),
        Action(
            "request_extension",
            gettext_lazy("申请延期"),
            "complaints.request_extension",
            A.REQUEST_EXTENSION,
            actions.request_extension,
            states=ACTIVE_STATES,
            preconditions=(*_P, conditions.no_pending_extension),
        ),
        Action(
            "decide_extension",
            gettext_lazy("审批延期"),
            "complaints.approve_extension",
            A.APPROVE_EXTENSION,
            actions.decide_extension,
            states=ACTIVE_STATES,
            preconditions=(*_P, conditions.pending_extension_of_another),
        ),
        Action(
            "supervise",
            gettext_lazy("督办"),
            "complaints.supervise_complaint",
            A.SUPERVISE,
            actions.supervise,
            states=(*ACTIVE_STATES, S.RESOLVED),
            preconditions=_P,
        ),
        Action(
            "resolve",
            gettext_lazy("办结"),
            "complaints.resolve_complaint",
            A.RESOLVE,
            actions.resolve,
            transition="resolve",
            preconditions=(*_P, conditions.not_paused, conditions.reverification_recorded),
        ),
        Action(
            "answer",
            gettext_lazy("反馈"),
            "complaints.answer_complaint",
            A.ANSWER,
            actions.answer,
            transition="answer",
            preconditions=_P,
        ),
        Action(
            "reopen",
            gettext_lazy("重新处理"),
            "complaints.reopen_complaint",
            A.REOPEN,
            actions.reopen,
            transition="reopen",
            preconditions=_P,
        ),
        Action(
            "reverify",
            gettext_lazy("重新核查分析"),
            "complaints.reverify_complaint",
            A.REVERIFY,
            actions.reverify,
            states=ACTIVE_STATES,
            preconditions=(*_P, conditions.reverification_due),
        ),
        Action(
            "log_contact",
            gettext_lazy("记录联系"),
            "complaints.log_contact",
            A.CONTACT,
            actions.log_contact,
            states=(*OPEN_STATES, S.ANSWERED),
            preconditions=_P,
        ),
        Action(
            "attach",
            gettext_lazy("上传材料"),
            "complaints.attach_evidence",
            A.ATTACH,
            actions.attach,
            states=(*OPEN_STATES, S.ANSWERED),
            preconditions=_P,
        ),
        Action(
            "attach_recording",
            gettext_lazy("登记录音录像"),
            "complaints.attach_evidence",
            A.ATTACH,
            actions.attach_recording,
            states=(*OPEN_STATES, S.ANSWERED),
            preconditions=_P,
        ),
        Action(
            "remove_attachment",
            gettext_lazy("删除材料"),
            "complaints.remove_evidence",
            A.REMOVE_ATTACHMENT,
            actions.remove_attachment,
            states=(*OPEN_STATES, S.ANSWERED, S.ARCHIVED),
            preconditions=(*_P, conditions.has_attachments),
        ),
        Action(
            "archive",
            gettext_lazy("归档"),
            "complaints.archive_complaint",
            A.ARCHIVE,
            actions.archive,
            transition="archive",
            preconditions=(*_P, conditions.not_in_mediation),
        ),
        # The statutory clock (complaints.clock): pauses, extension, refiling.
        Action(
            "pause",
            gettext_lazy("中止计时"),
            "complaints.pause_complaint",
            A.PAUSE,
            clock.pause,
            states=ACTIVE_STATES,
            preconditions=(*_P, conditions.not_paused),
        ),
        Action(
            "resume",
            gettext_lazy("恢复计时"),
            "complaints.pause_complaint",
            A.RESUME,
            clock.resume,
            states=ACTIVE_STATES,
            preconditions=(*_P, conditions.paused),
        ),
        Action(
            "extend_statutory",
            gettext_lazy("延长法定时限"),
            "complaints.extend_statutory",
            A.EXTEND_STATUTORY,
            clock.extend_statutory,
            states=ACTIVE_STATES,
            preconditions=(*_P, conditions.statutory_extendable),
        ),
        Action(
            "refile",
            gettext_lazy("新事实重新起算"),
            "complaints.pause_complaint",
            A.REFILE,
            clock.refile,
            states=ACTIVE_STATES,
            preconditions=(*_P, conditions.has_statutory_clock),
        ),
        Action(
            "withdraw",
            gettext_lazy("撤诉"),
            "complaints.withdraw_complaint",
            A.WITHDRAW,
            clock.withdraw,
            transition="withdraw",
            preconditions=_P,
        ),
        Action(
            "merge",
            gettext_lazy("合并至在办投诉"),
            "complaints.merge_complaint",
            A.MERGE,
            clock.merge,
            transition="merge",
            preconditions=(*_P, conditions.has_merge_candidate),
        ),
        # The consumer's own steps, taken on the portal (complaints.consumer).
        Action(
            "consumer_add",
            gettext_lazy("补充材料"),
            "complaints.consumer_add",
            A.CONSUMER_ADD,
            actions.consumer_add,
            states=OPEN_STATES,
        ),
        Action(
            "consumer_rate",
            gettext_lazy("评价答复"),
            "complaints.consumer_rate",
            A.CONSUMER_RATE,
            actions.consumer_rate,
            states=(S.ANSWERED,),
            preconditions=(conditions.verdict_open,),
        ),
        Action(
            "consumer_reopen",
            gettext_lazy("不满意，要求重新处理"),
            "complaints.consumer_reopen",
            A.REOPEN,
            actions.consumer_reopen,
            transition="reopen",
            preconditions=(conditions.verdict_open,),
        ),
    )
}


def refusal(actor: User, complaint: Complaint, action: Action) -> WorkflowError | None:
    """Why ``actor`` may not perform ``action`` on ``complaint`` now, or None.

    In this order: the permission (403), the state (409), the preconditions (their
    own codes). The answer depends only on the actor and the complaint as stored —
    never on submitted data — so the page and the service cannot disagree."""
    if not actor.has_perm(action.permission, complaint):
        return PermissionRefused(_("您无权对此投诉执行“%(action)s”。") % {"action": action.label})
    if complaint.status not in action.sources:
        return TransitionRefused(
            _("当前状态为“%(status)s”，不能执行此操作。")
            % {"status": complaint.get_status_display()}
        )
    for precondition in action.preconditions:
        refused = precondition(actor, complaint)
        if refused is not None:
            return refused
    return None


def available_actions(actor: User, complaint: Complaint) -> list[Action]:
    """The actions ``actor`` may perform on ``complaint`` now, in table order (the
    detail page's forms, the API's transitions list)."""
    return [a for a in ACTIONS.values() if refusal(actor, complaint, a) is None]
