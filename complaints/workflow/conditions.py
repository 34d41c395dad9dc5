"""Preconditions of the actions: each looks at the actor and the complaint as they
are now and returns the refusal (a ``WorkflowError`` with the user's message and a
stable code) or None. They read no request data: what depends on the submitted
fields is checked by the perform function. Both the page's offered actions and the
service ask them, so a button is never offered for an action that would be refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ..errors import WorkflowError
from ..models import ExtensionRequest

if TYPE_CHECKING:
    from institutions.models import User

    from ..models import Complaint

PENDING = ExtensionRequest.Decision.PENDING


def not_a_party(actor: User, complaint: Complaint) -> WorkflowError | None:
    """非当事人: the staff member complained about does not handle, decide, answer or
    close the complaint about themselves, whatever their role."""
    if complaint.complained_staff_id and actor.pk == complaint.complained_staff_id:
        # A business rule about this case (422), not a missing permission (403): the
        # role may do this, the person may not on this complaint.
        return WorkflowError(
            _("您是被投诉的当事人，按非当事人原则不能办理此投诉。"), code="actor_is_party"
        )
    return None


def has_higher_level(actor: User, complaint: Complaint) -> WorkflowError | None:
    """逐级上报 goes to the handling institution's parent; at the top of a bank there
    is nowhere to go (a major complaint is reported to the regulator instead)."""
    parent = complaint.handling_institution.parent
    if parent is None or parent.is_regulator:
        return WorkflowError(
            _("处理机构已是最高层级，无法继续上报；如属重大投诉请标记为重大投诉报告监管。"),
            code="no_parent",
        )
    return None


def _pending(complaint: Complaint) -> ExtensionRequest | None:
    # .all() so a prefetched detail page asks no query per check.
    return next((e for e in complaint.extensions.all() if e.decision == PENDING), None)


def no_pending_extension(actor: User, complaint: Complaint) -> WorkflowError | None:
    if _pending(complaint) is not None:
        return WorkflowError(_("已有待审批的延期申请。"), code="extension_pending")
    return None


def pending_extension_of_another(actor: User, complaint: Complaint) -> WorkflowError | None:
    """A request is waiting, and it is not the approver's own (四眼原则)."""
    pending = _pending(complaint)
    if pending is None:
        return WorkflowError(_("没有待审批的延期申请。"), code="no_pending_extension")
    if pending.requested_by_id == actor.pk:
        return WorkflowError(_("不能审批自己提出的延期申请。"), code="own_extension")
    return None


def reverification_recorded(actor: User, complaint: Complaint) -> WorkflowError | None:
    """A reopened complaint is resolved again only after the re-verification
    analysis (why the consumer came back, what was checked again)."""
    if complaint.needs_reverification:
        return WorkflowError(
            _("重新处理的投诉须先填写重新核查分析，才能再次办结。"),
            code="reverification_required",
        )
    return None


def reverification_due(actor: User, complaint: Complaint) -> WorkflowError | None:
    if not complaint.needs_reverification:
        return WorkflowError(_("此投诉无需重新核查。"), code="not_needed")
    return None


def verdict_open(actor: User, complaint: Complaint) -> WorkflowError | None:
    """The consumer rates an answered complaint once, within
    ``settings.CONSUMER_VERDICT_WINDOW_DAYS`` days of the answer (a reopened and
    answered-again complaint may be rated again: reopening clears the rating)."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from ..enums import ComplaintStatus, SatisfactionSource

    if complaint.status != ComplaintStatus.ANSWERED or complaint.answered_at is None:
        return WorkflowError(_("投诉尚未答复，暂不能评价。"), code="not_answered")
    if complaint.satisfaction_source == SatisfactionSource.CONSUMER:
        return WorkflowError(_("您已评价过本次答复。"), code="already_rated")
    days = int(getattr(settings, "CONSUMER_VERDICT_WINDOW_DAYS", 15))
    if timezone.now() > complaint.answered_at + timedelta(days=days):
        return WorkflowError(
            _("评价期限已过（答复后 %(days)s 日内）。") % {"days": days}, code="verdict_closed"
        )
    return None


# --- The statutory clock, pauses, withdrawal and merging (complaints.clock) ------------


def not_paused(actor: User, complaint: Complaint) -> WorkflowError | None:
    """While the clocks are paused (中止计时) the case waits for the appraisal or the
    consumer's materials: resume first, then decide or answer."""
    if complaint.paused_at is not None:
        return WorkflowError(_("投诉正在中止计时，请先恢复计时。"), code="paused")
    return None


def paused(actor: User, complaint: Complaint) -> WorkflowError | None:
    if complaint.paused_at is None:
        return WorkflowError(_("投诉未中止计时。"), code="not_paused")
    return None


def statutory_extendable(actor: User, complaint: Complaint) -> WorkflowError | None:
    """The statutory limit can still be extended under the complaint's rule pack."""
    pack = complaint.statutory_pack
    if pack is None or complaint.statutory_start_at is None:
        return WorkflowError(_("此投诉没有适用的法定时限规则。"), code="no_statutory_clock")
    if complaint.statutory_days >= pack.special_days:
        return WorkflowError(
            _("法定时限已延长至最长 %(days)s 日。") % {"days": pack.special_days},
            code="statutory_at_max",
        )
    return None


def has_statutory_clock(actor: User, complaint: Complaint) -> WorkflowError | None:
    if complaint.statutory_pack_id is None or complaint.statutory_start_at is None:
        return WorkflowError(_("此投诉没有适用的法定时限规则。"), code="no_statutory_clock")
    return None


def has_merge_candidate(actor: User, complaint: Complaint) -> WorkflowError | None:
    """Merging needs another open complaint of the same consumer that the actor sees."""
    from ..selectors import merge_candidates

    known = getattr(complaint, "has_merge_candidate", None)  # the detail page's
    if not (merge_candidates(actor, complaint).exists() if known is None else known):
        return WorkflowError(_("该客户没有其他在办投诉，无法合并。"), code="no_merge_candidate")
    return None


def has_attachments(actor: User, complaint: Complaint) -> WorkflowError | None:
    """Something in the case file that has not been removed."""
    live = getattr(complaint, "live_attachments", None)  # the detail page's
    if not (
        complaint.attachments.filter(removed_at__isnull=True).exists() if live is None else live
    ):
        return WorkflowError(_("该投诉没有可删除的材料。"), code="no_attachments")
    return None


def not_in_mediation(actor: User, complaint: Complaint) -> WorkflowError | None:
    """A complaint whose dispute is being mediated is not answered-and-forgotten:
    it stays out of the archive until the mediation ends (complaints.mediation)."""
    if complaint.mediation_since is not None:
        return WorkflowError(_("该投诉正在调解中，调解终结后才能归档。"), code="in_mediation")
    return None
