"""Stamping a complaint with its service-promise deadline.

The due time itself is computed by ``deadlines.services.compute_due`` — the one
function for it — from the rule that applies to this complaint (intake source,
institution, complexity). Here we only store its results: the due time, when to
remind (working hours before it) and when an unanswered case goes up for supervision
(one working day after it).
"""

from __future__ import annotations

from django.conf import settings

from deadlines import services as sla


def stamp(complaint, reference: sla.Snapshot | None = None) -> None:
    # One snapshot of the calendar and the rules for the whole stamp: one query (a
    # caller stamping many complaints at once passes the one it holds).
    reference = reference or sla.snapshot()
    rule = reference.rules.rule_for(
        complexity=complaint.complexity,
        intake_source=complaint.intake_source,
        institution=complaint.handling_institution,
    )
    due = sla.compute_due(complaint.received_at, rule, calendar=reference.calendar)
    complaint.sla_rule = rule
    complaint.due_at = due.at
    complaint.due_provisional = due.provisional
    _stamp_followups(complaint, rule, reference)
    # The statutory clock beside the promise (complaints.clock).
    from .clock import stamp_statutory

    stamp_statutory(complaint, reference)


def restamp_after_extension(complaint) -> None:
    """An approved extension replaced ``due_at``: move the reminder and the
    supervision point with it."""
    _stamp_followups(complaint, complaint.sla_rule)


def _stamp_followups(complaint, rule, reference: sla.Snapshot | None = None) -> None:
    if complaint.due_at is None or rule is None:
        return
    cal = (reference or sla.snapshot()).calendar
    complaint.remind_at = sla.working_hours_before(
        complaint.due_at, getattr(settings, "REMIND_WORKING_HOURS_BEFORE", 2), rule, calendar=cal
    )
    complaint.escalate_at = sla.add_working_days(complaint.due_at, 1, rule, calendar=cal)


def refresh_provisional() -> int:
    """Once the State Council's schedule for a year is loaded, open complaints whose due
    time was provisional get the exact one. Few rows: only open complaints received
    near a year without data. Returns how many changed."""
    from .enums import OPEN_STATES
    from .models import Complaint

    candidates = Complaint.objects.filter(status__in=OPEN_STATES, due_provisional=True)
    return sum(refresh_provisional_one(pk) for pk in candidates.values_list("pk", flat=True))


def refresh_provisional_one(complaint_id: int) -> bool:
    """Replace one complaint's provisional due time with the exact one, if it is
    still provisional when its row is locked. An extension approved in the meantime
    made the due time a decided one (``due_provisional`` cleared in the same save),
    so the refresh leaves it alone; the version is bumped so that a form opened on
    the old due time cannot write over the new one."""
    from django.db import transaction
    from django.db.models import F
    from django.utils.translation import gettext as _

    from .enums import OPEN_STATES
    from .enums import TimelineAction as A
    from .models import Complaint, TimelineEntry

    with transaction.atomic():
        c = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("sla_rule")
            .filter(pk=complaint_id, status__in=OPEN_STATES, due_provisional=True)
            .first()
        )
        if c is None or c.sla_rule is None:
            return False
        due = sla.compute_due(c.received_at, c.sla_rule)
        if due.provisional:
            return False
        old = c.due_at
        c.due_at, c.due_provisional = due.at, False
        _stamp_followups(c, c.sla_rule)
        Complaint.objects.filter(pk=c.pk).update(
            due_at=c.due_at,
            due_provisional=False,
            remind_at=c.remind_at,
            escalate_at=c.escalate_at,
            version=F("version") + 1,
        )
        TimelineEntry.objects.create(
            complaint=c,
            action=A.ADMIN_CHANGE,
            from_status=c.status,
            to_status=c.status,
            note=_("该年度工作日历已发布，答复期限由暂定时间更新为确定时间。"),
            payload={
                "previous_due_at": old.isoformat() if old else None,
                "due_at": due.at.isoformat(),
            },
        )
    return True
