"""What a complaint knows of the mediation of its dispute (the ``mediation`` app
runs the mediation itself and calls these two functions; ``complaints`` is the lower
layer and never imports it).

Not an action of the workflow table: mediation is not a step of the complaint's own
handling and changes no state, and the office starts it from the mediation desk with
the mediation's own data. Like every change outside ``complaint_act`` these bump the
complaint's version (an open form cannot overwrite them) and write one timeline row.
While ``mediation_since`` is set the complaint page shows "调解中" and the archive
action refuses (``workflow.conditions.not_in_mediation``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from .enums import MediationOutcome
from .enums import TimelineAction as A
from .models import Complaint, TimelineEntry

if TYPE_CHECKING:
    from institutions.models import User


def _write(complaint: Complaint, *, actor: User | None, action: str, payload: dict) -> None:
    now = timezone.now()
    complaint.version += 1
    complaint.last_activity_at = now
    complaint.save(update_fields=["mediation_since", "version", "last_activity_at"])
    TimelineEntry.objects.create(
        complaint=complaint,
        actor=actor,
        action=action,
        from_status=complaint.status,
        to_status=complaint.status,
        payload=payload,
        created_at=now,
    )


@transaction.atomic
def complaint_mediation_started(*, complaint_id: int, actor: User | None, case_no: str) -> None:
    """The dispute went to mediation: mark the complaint and say so on its timeline.
    The caller (the mediation service) has already checked the actor's access."""
    complaint = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint_id)
    complaint.mediation_since = timezone.now()
    _write(complaint, actor=actor, action=A.MEDIATION_OPEN, payload={"case_no": case_no})


@transaction.atomic
def complaint_mediation_ended(
    *, complaint_id: int, actor: User | None, case_no: str, outcome: str
) -> None:
    """The mediation ended (an agreement, a party declined, or it failed): the
    complaint may be archived again."""
    if outcome not in MediationOutcome.values:
        raise ValueError(outcome)
    complaint = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint_id)
    complaint.mediation_since = None
    _write(
        complaint,
        actor=actor,
        action=A.MEDIATION_END,
        payload={"case_no": case_no, "outcome": outcome},
    )
