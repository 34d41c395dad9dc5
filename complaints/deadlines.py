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
    rule = sla.rule_for(
        complexity=complaint.complexity,
        intake_source=complaint.intake_source,
        institution=complaint.handling_institution,
    )
    due = sla.compute_due(complaint.received_at, rule)
    complaint.sla_rule = rule
    complaint.due_at = due.at
    complaint.due_provisional = due.provisional
    _stamp_followups(complaint, rule)


def restamp_after_extension(complaint) -> None:
    """An approved extension replaced ``due_at``: move the reminder and the
    supervision point with it."""
    _stamp_followups(complaint, complaint.sla_rule)


def _stamp_followups(complaint, rule) -> None:
    if complaint.due_at is None or rule is None:
        return
    complaint.remind_at = sla.working_hours_before(
        complaint.due_at, getattr(settings, "REMIND_WORKING_HOURS_BEFORE", 2), rule
    )
    complaint.escalate_at = sla.add_working_days(complaint.due_at, 1, rule)
