"""The statutory clock beside the service promise, and pauses of both.

Two clocks run on every complaint:

* **the service promise** (``due_at``): the institution's own limit from the
  deadline rules (same working day / three working days), counted in working days by
  ``deadlines.services.compute_due`` and stamped by ``complaints.deadlines``;
* **the statutory limit** (``statutory_due_at``): from the ``StatutoryRulePack`` in
  force on the day of receipt (CBIRC 2020: 15 days, 30 for complex cases, 60 for
  especially complex ones with the approval the pack names), counted in calendar
  days by ``deadlines.services.calendar_days_due`` (the start day not counted, a last
  day on a rest day moved to the next working day, 民法典 第二百零一条、第二百零三条).

The complaint keeps its pack and its own due time; a newer pack applies to
complaints received from its effective date only, and nothing here ever touches a
closed complaint (the actions that call these functions run on open ones only).

A pause (中止计时) stops both clocks. When it ends, each due time moves by the
paused span *in its own unit*: the statutory limit by the calendar days from the
pause's day to the resume day (added to the period, then the end is moved past rest
days again), the service promise by the working days after the pause's day up to
and including the resume day. Paused and resumed the same day moves neither.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from deadlines import services as sla
from deadlines.enums import DayUnit

if TYPE_CHECKING:
    from .models import Complaint, StatutoryRulePack

#: The columns the statutory clock writes (an action's Outcome names them).
STATUTORY_FIELDS = (
    "statutory_pack",
    "statutory_start_at",
    "statutory_days",
    "statutory_paused_days",
    "statutory_due_at",
    "statutory_remind_at",
    "statutory_reminded_at",
    "statutory_overdue_at",
)
#: The columns moving the service promise writes.
PROMISE_FIELDS = (
    "due_at",
    "remind_at",
    "escalate_at",
    "reminded_at",
    "overdue_at",
    "auto_escalated_at",
)

_packs: tuple[str | None, list[StatutoryRulePack]] | None = None


def rule_packs(reference: sla.Snapshot | None = None) -> list[StatutoryRulePack]:
    """Every pack, newest first, cached per process under the deadline reference
    data's token (a pack saved in the admin calls ``deadlines.snapshot.changed``)."""
    global _packs  # a per-process cache, replaced atomically
    from .models import StatutoryRulePack

    token = (reference or sla.snapshot()).token
    cached = _packs
    if cached is None or cached[0] != token or token is None:
        cached = (token, list(StatutoryRulePack.objects.order_by("-effective_from")))
        _packs = cached
    return cached[1]


def pack_for(day: datetime.date, reference: sla.Snapshot | None = None):
    """The pack in force on ``day`` (the latest effective on or before it), or None."""
    return next((p for p in rule_packs(reference) if p.effective_from <= day), None)


def stamp_statutory(c: Complaint, reference: sla.Snapshot | None = None) -> None:
    """At registration (and import): the pack in force on the day of receipt, the
    clock started at receipt with the pack's base limit."""
    pack = pack_for(timezone.localdate(c.received_at), reference)
    c.statutory_pack = pack
    if pack is None:
        c.statutory_start_at, c.statutory_days, c.statutory_due_at = None, 0, None
        c.statutory_remind_at = None
        return
    c.statutory_start_at = c.received_at
    c.statutory_days, c.statutory_paused_days = pack.base_days, 0
    restamp_statutory(c, reference)


def restamp_statutory(c: Complaint, reference: sla.Snapshot | None = None) -> None:
    """Recompute the statutory due time from the start, the limit and the days
    paused; the reminder and the overrun mark start over."""
    pack = c.statutory_pack
    if pack is None or c.statutory_start_at is None:
        return
    cal = (reference or sla.snapshot()).calendar
    due = sla.calendar_days_due(
        c.statutory_start_at,
        c.statutory_days + c.statutory_paused_days,
        pack.close_of_business,
        unit=pack.unit,
        calendar=cal,
    )
    c.statutory_due_at = due.at
    c.statutory_remind_at = due.at - datetime.timedelta(days=pack.remind_days_before)
    c.statutory_reminded_at = c.statutory_overdue_at = None


def restart_statutory(c: Complaint, at: datetime.datetime) -> None:
    """New facts or grounds: the statutory period runs again, in full, from the new
    filing at ``at`` (extensions and paused days belong to the old period)."""
    if c.statutory_pack is None:
        return
    c.statutory_start_at = at
    c.statutory_days, c.statutory_paused_days = c.statutory_pack.base_days, 0
    restamp_statutory(c)


def extend_statutory(c: Complaint, days: int) -> None:
    c.statutory_days = days
    restamp_statutory(c)


def paused_span(
    started_at: datetime.datetime, ended_at: datetime.datetime, unit: str
) -> tuple[int, int]:
    """How far (statutory days in the pack's unit, promise working days) a pause from
    ``started_at`` to ``ended_at`` moves the two clocks."""
    start, end = timezone.localdate(started_at), timezone.localdate(ended_at)
    cal = sla.snapshot().calendar
    working = sla.working_days_between(start, end, calendar=cal)
    statutory = working if unit == DayUnit.WORKING_DAY else max((end - start).days, 0)
    return statutory, working


def end_pause(c: Complaint, ended_at: datetime.datetime) -> tuple[int, int]:
    """The running pause ends at ``ended_at``: both due times move by the paused span
    (module docstring). Returns (statutory days, promise working days) moved."""
    from . import deadlines

    unit = c.statutory_pack.unit if c.statutory_pack else DayUnit.CALENDAR_DAY
    statutory, promise = paused_span(c.paused_at or ended_at, ended_at, unit)
    c.paused_at = None
    if statutory and c.statutory_pack is not None:
        c.statutory_paused_days += statutory
        restamp_statutory(c)
    if promise and c.due_at is not None and c.sla_rule is not None:
        c.due_at = sla.add_working_days(c.due_at, promise, c.sla_rule)
        c.remind_at = c.escalate_at = None
        c.reminded_at = c.overdue_at = c.auto_escalated_at = None
        deadlines.restamp_after_extension(c)
    return statutory, promise
