"""Writing validated rows as complaints, a batch at a time.

Imported complaints land in their recorded state with their original dates, get the
deadline they would have had, are stamped as already reminded / overdue-handled so the
deadline sweep sends nothing for the past, and get one timeline row saying where they
came from. A batch is a handful of statements whatever its size: the numbers are
reserved per institution and day in one upsert each, complaints and timeline rows are
inserted in bulk, and the recorded states are set with one update per state.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines import services as sla
from institutions.models import Institution, User

from .. import deadlines, masking, search
from ..enums import ComplaintStatus
from ..enums import TimelineAction as A
from ..models import Complaint, TimelineEntry
from ..services import reserve_tracking_nos
from .validation import ImportPreview, Row

CLOSED_STATES = (ComplaintStatus.ARCHIVED, ComplaintStatus.REFUSED, ComplaintStatus.TRANSFERRED)


def write_batch(
    *, actor: User, rows: list[Row], source: str, now: datetime | None = None
) -> list[Complaint]:
    """Create the complaints of ``rows`` (all valid). The caller holds the
    transaction that makes a whole file all or nothing."""
    now = now or timezone.now()
    reference = sla.snapshot()
    numbers = _numbers(rows)
    complaints = [_complaint(actor, row, numbers, reference, now) for row in rows]
    Complaint.objects.bulk_create(complaints)
    by_status: dict[str, list[int]] = defaultdict(list)
    for c, row in zip(complaints, rows, strict=True):
        by_status[row["status"]].append(c.pk)
    # The recorded state is data being loaded, not a transition performed here; the
    # version moves with it like any other change after the insert.
    for status, pks in by_status.items():
        Complaint.objects.filter(pk__in=pks).update(status=status, version=F("version") + 1)
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            complaint=c,
            actor=actor,
            action=A.ADMIN_CHANGE,
            to_status=row["status"],
            note=_("历史数据导入（%(src)s 第 %(row)d 行）") % {"src": source, "row": row["row"]},
            payload={"import": source, "row": row["row"], "original_no": row["original_no"]},
            created_at=now,
        )
        for c, row in zip(complaints, rows, strict=True)
    )
    # One statement for the batch: the imported texts are searchable at once.
    search.reindex(c.pk for c in complaints)
    return complaints


def _numbers(rows: list[Row]) -> dict[int, str]:
    """A tracking number per row (by row number), reserved per institution and day."""
    groups: dict[tuple[int, object], list[Row]] = defaultdict(list)
    for row in rows:
        day = timezone.localtime(row["received_at"]).date()
        groups[(row["complained_institution"].pk, day)].append(row)
    numbers: dict[int, str] = {}
    for members in groups.values():
        institution: Institution = members[0]["complained_institution"]
        reserved = reserve_tracking_nos(institution, members[0]["received_at"], len(members))
        numbers.update(zip((r["row"] for r in members), reserved, strict=True))
    return numbers


def _complaint(
    actor: User, row: Row, numbers: dict[int, str], reference: sla.Snapshot, now: datetime
) -> Complaint:
    complained: Institution = row["complained_institution"]
    handling: Institution = row["handling_institution"] or complained
    description, _found = masking.scrub_authentication_data(row["description"])
    demand, _found = masking.scrub_authentication_data(row["demand"])
    status = row["status"]
    c = Complaint(
        tracking_no=numbers[row["row"]],
        original_no=row["original_no"],
        complained_staff=row["complained_staff"],
        complained_staff_name=row["complained_staff_name"],
        handler=row["handler"],
        assigned_at=row["received_at"] if row["handler"] else None,
        received_at=row["received_at"],
        intake_source=row["intake_source"],
        kind=row["kind"],
        complainant_name=row["complainant_name"],
        complainant_phone=row["complainant_phone"],
        id_type=row["id_type"] if row["id_number"] else "",
        id_number=row["id_number"].upper(),
        contact_address=row["contact_address"],
        description=description,
        demand=demand,
        amount=row["amount"],
        complained_institution=complained,
        business=row["business"],
        cause=row["cause"],
        category=row["category"],
        complexity=row["category"].complexity,
        first_responder=actor,
        accepting_institution=complained,
        handling_institution=handling,
        findings=row["findings"],
        is_valid=row["is_valid"],
        money_recovered=row["money_recovered"] or Decimal("0"),
        satisfaction=row["satisfaction"],
        satisfaction_source="staff" if row["satisfaction"] else "",
        resolved_at=row["resolved_at"],
        answered_at=row["answered_at"],
        last_activity_at=row["answered_at"] or row["resolved_at"] or row["received_at"],
        created_at=now,
    )
    deadlines.stamp(c, reference)
    # The past is past: the sweep must not remind, flag or escalate it now.
    c.reminded_at = c.overdue_at = c.auto_escalated_at = now
    c.statutory_reminded_at = c.statutory_overdue_at = now
    if status in CLOSED_STATES:
        c.closed_at = row["answered_at"] or row["received_at"]
        c.archived_at = c.closed_at if status == ComplaintStatus.ARCHIVED else None
    return c


@transaction.atomic
def import_rows(*, actor: User, preview_result: ImportPreview, source: str) -> list[Complaint]:
    """Write every row of a valid in-memory preview, or nothing (one transaction)."""
    if not preview_result.ok:
        raise ValueError("refusing to import a file with errors")
    now = timezone.now()
    created: list[Complaint] = []
    rows = preview_result.rows
    for start in range(0, len(rows), 1000):
        created += write_batch(actor=actor, rows=rows[start : start + 1000], source=source, now=now)
    return created
