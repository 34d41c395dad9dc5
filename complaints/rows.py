"""A complaint list row (complaints/_rows.html) as plain values.

Lists are the pages people keep open all day. Reading a row as a model instance
with four related instances and letting the template look up attributes, call
``get_*_display``, format dates and decide the due badge cost more than the
database needed for the whole page (docs/performance.md, item 16). Here one query
reads exactly the shown columns as tuples and each row becomes a dict of display
values, so the template only prints them. Personal fields are masked here, at the
list level, before the template ever sees them.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from institutions.enums import InstitutionKind

from . import masking
from .enums import ComplaintStatus, Complexity
from .links import detail_url_maker
from .models import Complaint, answered_late_from_facts, localized_name, overdue_from_facts

#: What a row reads, in this order (``values_list``). A column the row template
#: shows must come from here: the template has no model instance to query through.
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
    """``qs`` reading only what a list row shows, as tuples in ``ROW_FIELDS`` order
    (``present`` turns them into rows). Works with ``BoundedPaginator``."""
    return qs.values_list(*ROW_FIELDS)


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def present(
    values: Iterable[tuple], *, now: datetime | None = None, awaiting: Container[int] = ()
) -> list[dict]:
    """Display rows from ``for_rows`` tuples, in the current language and time zone;
    overdue and answered late as ``Complaint.is_overdue`` / ``answered_late`` decide;
    the complaints in ``awaiting`` wait for the reader's approval (a 待审批 badge,
    ``selectors.awaiting_approval_among``)."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    # Labels once per page in the active language, not once per row.
    status_labels = _labels(ComplaintStatus)
    complexity_labels = _labels(Complexity)
    detail_url = detail_url_maker()
    rows = []
    for (
        pk,
        tracking_no,
        received_at,
        status,
        complexity,
        is_major,
        is_repeat,
        due_at,
        due_provisional,
        answered_at,
        name,
        phone,
        institution_name,
        institution_short_name,
        accepting_kind,
        handler_username,
        handler_full_name,
        category_name,
        category_name_en,
    ) in values:
        late = answered_late_from_facts(due_at, answered_at)
        rows.append(
            {
                "pk": pk,
                "url": detail_url(pk),
                "tracking_no": tracking_no,
                "dispatched": accepting_kind == InstitutionKind.REGULATOR,
                "is_major": is_major,
                "is_repeat": is_repeat,
                "received": received_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                "name": masking.mask_name(name),
                "phone": masking.mask_phone(phone),
                "category": localized_name(category_name or "", category_name_en or ""),
                "complexity": complexity_labels.get(complexity, complexity),
                "institution": institution_short_name or institution_name,
                "handler": handler_full_name or handler_username or "",
                "status": status_labels.get(status, status),
                "due": due_at.astimezone(tz).strftime("%m-%d %H:%M") if due_at else "",
                "overdue": overdue_from_facts(status, due_at, now),
                "answered_late": late,
                "on_time": bool(answered_at) and bool(due_at) and not late,
                "provisional": due_provisional,
                "awaiting_approval": pk in awaiting,
            }
        )
    return rows
