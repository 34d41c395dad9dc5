"""``complaint_act``: the one entry point that performs an action on a complaint."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from complaints import rules as complaint_access
from institutions.models import User

from .. import search
from ..enums import TimelineAction as A
from ..errors import ConcurrentUpdate, WorkflowError
from ..models import Complaint, TimelineEntry
from .table import ACTIONS, refusal

# Saved by every action besides the fields its outcome names.
_ALWAYS = ("status", "version", "last_activity_at")


def complaint_act(
    *, actor: User, complaint_id: int, action: str, expected_version: int | None = None, **data
) -> Complaint:
    """Perform ``action`` on a complaint as ``actor`` with the submitted ``data``
    (the action's form fields, as keywords of its perform function).

    Raises Http404 when the actor cannot see the complaint (same as missing),
    ConcurrentUpdate when ``expected_version`` is stale or another transaction got
    there first, and the table's or the perform function's refusal otherwise
    (PermissionRefused 403, TransitionRefused 409, WorkflowError 422). On any
    exception nothing has been written: the transaction rolls back."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise WorkflowError(_("未知的操作。"), code="unknown_action")
    with transaction.atomic():
        complaint = complaint_access.complaint_get_for_user(actor, complaint_id, lock=True)
        if expected_version is not None and complaint.version != int(expected_version):
            raise ConcurrentUpdate()
        refused = refusal(actor, complaint, spec)
        if refused is not None:
            raise refused
        from_status = complaint.status
        outcome = spec.perform(actor, complaint, **data)
        now = timezone.now()
        fields = [*_ALWAYS, *outcome.fields]
        newly_major = complaint.is_major and complaint.reported_to_regulator_at is None
        if newly_major:
            complaint.reported_to_regulator_at = now
            fields.append("reported_to_regulator_at")
        complaint.version += 1
        complaint.last_activity_at = now
        try:
            complaint.save(update_fields=fields)
        except ConcurrentTransition:
            raise ConcurrentUpdate() from None
        TimelineEntry.objects.create(
            complaint=complaint,
            actor=actor,
            action=outcome.timeline or spec.timeline,
            from_status=from_status,
            to_status=complaint.status,
            note=outcome.note or "",
            payload=outcome.payload,
            created_at=now,
        )
        if newly_major:
            record_major_report(complaint, actor=actor)
        # The action's texts and note are searchable in the same transaction.
        search.reindex([complaint.pk])
        from .. import effects

        effects.after_action(complaint, spec.name, actor=actor, payload=outcome.payload)
    return complaint


def record_major_report(complaint: Complaint, *, actor: User | None) -> None:
    """A major complaint is reported to the regulator once, automatically (篇八).
    The caller stamped ``reported_to_regulator_at`` in the same save as the change
    that made it major; this writes the timeline row saying so (the supervisors'
    notice goes out with the action's other effects)."""
    TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        action=A.REPORT_MAJOR,
        from_status=complaint.status,
        to_status=complaint.status,
        note=_("重大投诉已自动报告人民银行。"),
        payload={"reported_by": actor.get_full_name() if actor else None},
    )
