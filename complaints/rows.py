"""A complaint list row (complaints/_rows.html, complaints/_row.html) as display values.

The list, the workbench and the board's drill-down lists show the same row. One
query reads exactly the shown columns (``for_rows``: a complaint has some seventy)
and ``present`` turns each into the values the row template prints: personal
fields masked here, at the list level, before the template ever sees them; times
in the reader's zone; "overdue" and "answered late" decided from the facts as
``Complaint.is_overdue`` / ``answered_late`` decide them.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from institutions.enums import InstitutionKind

from . import masking
from .enums import ComplaintStatus, Complexity
from .models import Complaint, answered_late_from_facts, localized_name, overdue_from_facts

#: What a row reads (``values``). A column the row template shows must come from
#: here: the template has no model instance to query through.
ROW_FIELDS = (
    "pk",
    "tracking_no",
    "received_at",
    "status",
    "complexity",
    "is_major",
    "is_repeat",
    "due_at",
    "due_provisional",
    "answered_at",
    "paused_at",
    "complainant_name",
    "complainant_phone",
    "handling_institution__name",
    "handling_institution__short_name",
    "accepting_institution__kind",
    "handler__username",
    "handler__full_name",
    "category__name",
    "category__name_en",
)


def for_rows(qs: QuerySet[Complaint]) -> QuerySet:
    """``qs`` reading only what a list row shows, as dicts of ``ROW_FIELDS``
    (``present`` turns them into rows). Works with ``BoundedPaginator``."""
    return qs.values(*ROW_FIELDS)


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def present(
    values: Iterable[dict], *, now: datetime | None = None, awaiting: Container[int] = ()
) -> list[dict]:
    """Display rows from ``for_rows`` dicts, in the current language and time zone;
    overdue and answered late as ``Complaint.is_overdue`` / ``answered_late`` decide;
    the complaints in ``awaiting`` wait for the reader's approval (a 待审批 badge,
    ``selectors.awaiting_approval_among``)."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    # Labels once per page in the active language, not once per row.
    status_labels = _labels(ComplaintStatus)
    complexity_labels = _labels(Complexity)
    rows = []
    for v in values:
        due_at, answered_at = v["due_at"], v["answered_at"]
        late = answered_late_from_facts(due_at, answered_at)
        rows.append(
            {
                "pk": v["pk"],
                "url": reverse("complaints:detail", args=[v["pk"]]),
                "tracking_no": v["tracking_no"],
                "dispatched": v["accepting_institution__kind"] == InstitutionKind.REGULATOR,
                "is_major": v["is_major"],
                "is_repeat": v["is_repeat"],
                "received": v["received_at"].astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                "name": masking.mask_name(v["complainant_name"]),
                "phone": masking.mask_phone(v["complainant_phone"]),
                "category": localized_name(v["category__name"] or "", v["category__name_en"] or ""),
                "complexity": complexity_labels.get(v["complexity"], v["complexity"]),
                "institution": (
                    v["handling_institution__short_name"] or v["handling_institution__name"]
                ),
                "handler": v["handler__full_name"] or v["handler__username"] or "",
                "status": status_labels.get(v["status"], v["status"]),
                "due": due_at.astimezone(tz).strftime("%m-%d %H:%M") if due_at else "",
                "overdue": overdue_from_facts(v["status"], due_at, now, v["paused_at"]),
                "answered_late": late,
                "on_time": bool(answered_at) and bool(due_at) and not late,
                "provisional": v["due_provisional"],
                "awaiting_approval": v["pk"] in awaiting,
            }
        )
    return rows
