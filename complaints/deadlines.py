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


def stamp(complaint) -> None:
    # One snapshot of the calendar and the rules for the whole stamp: one query.
    reference = sla.snapshot()
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
    time was provisional get the exact one (unless an extension already replaced it).
    Few rows: only open complaints received near a year without data."""
    from django.db import transaction
    from django.utils.translation import gettext as _

    from .enums import OPEN_STATES
    from .enums import TimelineAction as A
    from .models import Complaint, TimelineEntry

    changed = 0
    for c in (
        Complaint.objects.filter(status__in=OPEN_STATES, due_provisional=True)
        .exclude(extensions__decision="approved")
        .select_related("sla_rule")
    ):
        if c.sla_rule is None:
            continue
        due = sla.compute_due(c.received_at, c.sla_rule)
        if due.provisional:
            continue
        with transaction.atomic():
            old = c.due_at
            c.due_at, c.due_provisional = due.at, False
            _stamp_followups(c, c.sla_rule)
            Complaint.objects.filter(pk=c.pk, due_provisional=True).update(
                due_at=c.due_at,
                due_provisional=False,
                remind_at=c.remind_at,
                escalate_at=c.escalate_at,
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
            changed += 1
    return changed
