"""The actions of the statutory clock: pause and resume (中止计时), extending the
statutory limit, a refiling with new facts, withdrawal (撤诉) and merging (合并).

Perform functions as in ``actions``: called by ``complaint_act`` on the locked row
after the table's checks; they validate the submitted fields before changing
anything and return an ``Outcome``. The counting itself is ``complaints.clock``'s.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from institutions import tree
from institutions.enums import Role
from institutions.models import User

from .. import clock, search
from ..enums import ApprovalLevel, ContactMethod, PauseReason, WithdrawalChannel
from ..enums import TimelineAction as A
from ..errors import PermissionRefused, WorkflowError
from ..models import Complaint, ComplaintPause, TimelineEntry
from .base import Outcome, required_text


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _told(c: Complaint, via: str, at: datetime | None) -> datetime:
    """The consumer was told: how (a contact method) and when (not in the future,
    not before the complaint was received; default now)."""
    if via not in ContactMethod.values:
        raise WorkflowError(_("请选择告知消费者的方式。"), code="missing_field")
    now = timezone.now()
    if at is not None and (at > now or at < c.received_at):
        raise WorkflowError(_("告知时间须在受理时间之后且不晚于当前时间。"), code="bad_time")
    return at or now


def pause(
    actor: User,
    c: Complaint,
    *,
    reason: str,
    consumer_told_via: str,
    consumer_told_at: datetime | None = None,
    note: str = "",
) -> Outcome:
    """中止计时: both clocks stop from now until ``resume``."""
    if reason not in PauseReason.values:
        raise WorkflowError(_("请选择中止计时原因。"), code="missing_field")
    told_at = _told(c, consumer_told_via, consumer_told_at)
    note = (note or "").strip()
    now = timezone.now()
    row = ComplaintPause.objects.create(
        complaint=c,
        reason=reason,
        note=note,
        consumer_told_via=consumer_told_via,
        consumer_told_at=told_at,
        started_at=now,
        paused_by=actor,
    )
    c.paused_at = now
    return Outcome(
        ("paused_at",),
        note,
        {
            "pause": row.pk,
            "reason": reason,
            "consumer_told_via": consumer_told_via,
            "consumer_told_at": told_at.isoformat(),
        },
    )


def _close_running_pause(c: Complaint, actor: User, now: datetime, note: str = "") -> dict:
    """End the running pause, moving both due times; the payload that says so."""
    row = c.pauses.filter(resumed_at__isnull=True).first()
    if row is None:
        c.paused_at = None
        return {}
    statutory, promise = clock.end_pause(c, now)
    row.resumed_at, row.resumed_by, row.resume_note = now, actor, note
    row.statutory_days, row.promise_days = statutory, promise
    row.save(
        update_fields=["resumed_at", "resumed_by", "resume_note", "statutory_days", "promise_days"]
    )
    return {
        "pause": row.pk,
        "paused_from": row.started_at.isoformat(),
        "statutory_days": statutory,
        "promise_working_days": promise,
        "due_at": _iso(c.due_at),
        "statutory_due_at": _iso(c.statutory_due_at),
    }


def resume(actor: User, c: Complaint, *, note: str = "") -> Outcome:
    """恢复计时: the clocks run again, each due time moved by the paused span."""
    note = (note or "").strip()
    payload = _close_running_pause(c, actor, timezone.now(), note)
    return Outcome(("paused_at", *clock.STATUTORY_FIELDS, *clock.PROMISE_FIELDS), note, payload)


def _approves(actor: User, c: Complaint, level: str) -> bool:
    """Whether ``actor`` is the approver the pack names. The handling institution's
    manager approves what the pack leaves to it; "上级机构或总行" is a manager of an
    institution above the handling one, or at the top of the bank when the handling
    institution is the top itself (its head office is not in the system)."""
    if actor.role != Role.MANAGER or actor.institution is None:
        return False
    handling = c.handling_institution
    if level == ApprovalLevel.HANDLING_MANAGER:
        return tree.is_within(handling, actor.institution)
    above = tree.ancestor_ids(handling)[:-1]
    return actor.institution_id in above or (
        handling.parent_id is None and actor.institution_id == handling.pk
    )


def extend_statutory(
    actor: User,
    c: Complaint,
    *,
    days: int | None,
    reason: str,
    consumer_told_via: str,
    consumer_told_at: datetime | None = None,
) -> Outcome:
    """经审批延长法定时限: to the pack's complex limit (30) or especially complex
    limit (60), approved by the level the pack names (the actor), the consumer told."""
    pack = c.statutory_pack
    if pack is None:  # the precondition statutory_extendable refuses this first
        raise WorkflowError(_("此投诉没有适用的法定时限规则。"), code="no_statutory_clock")
    allowed = [d for d in (pack.complex_days, pack.special_days) if d > c.statutory_days]
    if days not in allowed:
        raise WorkflowError(
            _("请选择延长后的法定时限：%(days)s 日。")
            % {"days": "、".join(str(d) for d in allowed)},
            code="bad_days",
        )
    reason = required_text(reason, _("延长理由"))
    told_at = _told(c, consumer_told_via, consumer_told_at)
    level = pack.complex_approver if days == pack.complex_days else pack.special_approver
    if not _approves(actor, c, level):
        raise PermissionRefused(
            _("延长至 %(days)s 日须由%(who)s审批。")
            % {"days": days, "who": ApprovalLevel(level).label}
        )
    previous = c.statutory_days
    clock.extend_statutory(c, days)
    return Outcome(
        clock.STATUTORY_FIELDS,
        reason,
        {
            "days": days,
            "previous_days": previous,
            "approved_as": level,
            "consumer_told_via": consumer_told_via,
            "consumer_told_at": told_at.isoformat(),
            "statutory_due_at": _iso(c.statutory_due_at),
        },
    )


def refile(
    actor: User, c: Complaint, *, new_facts: str, filed_at: datetime | None = None
) -> Outcome:
    """新事实、新理由: the consumer came back with new facts or grounds; the statutory
    period starts again from that filing."""
    new_facts = required_text(new_facts, _("新的事实或理由"))
    now = timezone.now()
    if filed_at is not None and (filed_at > now or filed_at < c.received_at):
        raise WorkflowError(_("再次投诉时间须在受理时间之后且不晚于当前时间。"), code="bad_time")
    filed_at = filed_at or now
    previous = c.statutory_due_at
    clock.restart_statutory(c, filed_at)
    return Outcome(
        clock.STATUTORY_FIELDS,
        new_facts,
        {
            "filed_at": filed_at.isoformat(),
            "previous_statutory_due_at": _iso(previous),
            "statutory_due_at": _iso(c.statutory_due_at),
        },
    )


def withdraw(
    actor: User,
    c: Complaint,
    *,
    withdrawn_on: date | None,
    channel: str,
    note: str = "",
) -> Outcome:
    """撤诉: the case ends on the day the withdrawal was received."""
    if channel not in WithdrawalChannel.values:
        raise WorkflowError(_("请选择撤诉方式。"), code="missing_field")
    if withdrawn_on is None:
        raise WorkflowError(_("请填写收到撤诉的日期。"), code="missing_field")
    if withdrawn_on > timezone.localdate() or withdrawn_on < timezone.localdate(c.received_at):
        raise WorkflowError(_("撤诉日期须在受理日期之后且不晚于今天。"), code="bad_date")
    note = (note or "").strip()
    now = timezone.now()
    pause_payload = _close_running_pause(c, actor, now) if c.paused_at else {}
    c.withdrawn_on, c.withdrawal_channel = withdrawn_on, channel
    c.withdraw()
    return Outcome(
        ("withdrawn_on", "withdrawal_channel", "closed_at", "paused_at"),
        note,
        {"withdrawn_on": withdrawn_on.isoformat(), "channel": channel, **pause_payload},
    )


def merge(
    actor: User,
    c: Complaint,
    *,
    primary: Complaint | None,
    note: str = "",
    new_facts: bool = False,
) -> Outcome:
    """合并: this complaint, filed again during the handling of ``primary``, closes
    as merged into it. Both timelines say so; the consumer's contact details given
    with this filing (phone, address, e-mail) replace the primary's; with new facts or
    grounds the primary's statutory period starts again from this filing."""
    from ..selectors import merge_candidates

    if primary is None:
        raise WorkflowError(_("请选择合并至的在办投诉。"), code="missing_field")
    target = (
        merge_candidates(actor, c)
        .select_for_update(of=("self",))
        .select_related("statutory_pack")
        .filter(pk=primary.pk)
        .first()
    )
    if target is None:
        raise WorkflowError(_("只能合并至同一客户在您管辖范围内的在办投诉。"), code="bad_primary")
    note = (note or "").strip()
    now = timezone.now()
    changed = [
        name
        for name in ("complainant_phone", "contact_address", "consumer_email")
        if getattr(c, name) and getattr(c, name) != getattr(target, name)
    ]
    for name in changed:
        setattr(target, name, getattr(c, name))
    fields = [*changed, "version", "last_activity_at"]
    if new_facts:
        clock.restart_statutory(target, c.received_at)
        fields += clock.STATUTORY_FIELDS
    target.version += 1
    target.last_activity_at = now
    target.save(update_fields=fields)
    TimelineEntry.objects.create(
        complaint=target,
        actor=actor,
        action=A.MERGED_IN,
        from_status=target.status,
        to_status=target.status,
        note=note,
        payload={
            "duplicate": c.pk,
            "duplicate_no": c.tracking_no,
            "contact_updated": changed,
            "new_facts": bool(new_facts),
            "statutory_due_at": _iso(target.statutory_due_at),
        },
        created_at=now,
    )
    # The merge note lands on the target, not on the complaint acted on.
    search.reindex([target.pk])
    pause_payload = _close_running_pause(c, actor, now) if c.paused_at else {}
    c.merged_into = target
    c.merge()
    return Outcome(
        ("merged_into", "closed_at", "paused_at"),
        note,
        {
            "primary": target.pk,
            "primary_no": target.tracking_no,
            "contact_updated": changed,
            "new_facts": bool(new_facts),
            **pause_payload,
        },
    )
