"""Reads of the data lifecycle: which closed complaints are due for anonymisation and
which are held, the dry-run report, and the PIPL requests past their deadline."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from complaints.enums import CLOSED_STATES
from complaints.models import Complaint, ComplaintAttachment, PiiAccessLog
from mediation.models import MediationCase
from notifications.models import ConsumerMessage, Notification
from portal.models import Enquiry
from reports.models import ReportPack
from supervision.enums import EnforcementStatus
from supervision.models import EnforcementCase

from .models import LegalHold, PiplRequest
from .policy import Cutoffs, current_policy


def held_q() -> Q:
    """Complaints that may not be anonymised now: an active legal hold, an open
    enforcement case (诉转案) from it, or a mediation agreement whose judicial
    confirmation has been applied for and not yet decided."""
    return (
        Q(Exists(LegalHold.objects.filter(complaint=OuterRef("pk"), lifted_at__isnull=True)))
        | Q(
            Exists(
                EnforcementCase.objects.filter(
                    complaint=OuterRef("pk"), status=EnforcementStatus.OPEN
                )
            )
        )
        | Q(
            Exists(
                MediationCase.objects.filter(
                    complaint=OuterRef("pk"),
                    judicial_applied_on__isnull=False,
                    judicial_decision="",
                )
            )
        )
    )


def expired_complaints(cutoff: datetime.datetime) -> QuerySet[Complaint]:
    """Closed complaints whose closure lies before ``cutoff`` and that are not yet
    anonymised, held or not. An answered complaint that was never archived has no
    closure time (it may still be reopened) and is not due."""
    return Complaint.objects.filter(
        status__in=CLOSED_STATES, closed_at__isnull=False, closed_at__lt=cutoff
    ).filter(~Q(Exists(_anonymised())))


def due_complaints(cutoff: datetime.datetime) -> QuerySet[Complaint]:
    """The complaints the run anonymises: expired and not held."""
    return expired_complaints(cutoff).exclude(held_q())


def _anonymised():
    from .models import Anonymisation

    return Anonymisation.objects.filter(complaint=OuterRef("pk"))


def kept_files(complaint_ids) -> QuerySet[ComplaintAttachment]:
    """The attachments and recording references not yet removed."""
    return ComplaintAttachment.objects.filter(complaint__in=complaint_ids, removed_at__isnull=True)


def retention_preview(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """What a run would do now, without changing anything: complaints due (by the
    complained-about institution and the year of closure), those held back, their
    files and recording references, and the access logs, notices, messages and
    report packs past their periods. Aggregates only: the query count does not grow
    with the data."""
    now = now or timezone.now()
    policy = current_policy()
    cut = policy.cutoffs(now)
    due = due_complaints(cut.complaints)
    rows = (
        due.annotate(year=ExtractYear("closed_at"))
        .values("complained_institution__code", "complained_institution__name", "year")
        .annotate(n=Count("pk"))
        .order_by("complained_institution__code", "year")
    )
    files = (
        kept_files(due.values("pk"))
        .values("complaint__complained_institution__code")
        .annotate(n=Count("pk"))
    )
    files_by_inst = {r["complaint__complained_institution__code"]: r["n"] for r in files}
    by_institution: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in rows:
        entry = by_institution[r["complained_institution__code"]]
        entry.setdefault("name", r["complained_institution__name"])
        entry.setdefault("years", {})[str(r["year"])] = r["n"]
    table = [
        {
            "code": code,
            "name": entry["name"],
            "years": entry["years"],
            "complaints": sum(entry["years"].values()),
            "files": files_by_inst.get(code, 0),
        }
        for code, entry in sorted(by_institution.items())
    ]
    years = sorted({y for row in table for y in row["years"]})
    for row in table:
        row["cells"] = [row["years"].get(y, 0) for y in years]
    return {
        "at": now.isoformat(),
        "policy": policy.as_dict(),
        "cutoffs": cut.as_dict(),
        "years": years,
        "institutions": table,
        "complaints": sum(row["complaints"] for row in table),
        "files": sum(row["files"] for row in table),
        "held": expired_complaints(cut.complaints).filter(held_q()).count(),
        **expired_logs_counts(cut),
    }


def expired_logs_counts(cut: Cutoffs) -> dict[str, int]:
    return {
        "access_logs": PiiAccessLog.objects.filter(created_at__lt=cut.access_logs).count()
        + Enquiry.objects.filter(created_at__lt=cut.access_logs).count(),
        "notices": Notification.objects.filter(created_at__lt=cut.notices).count()
        + expired_consumer_messages(cut.notices).count(),
        "report_packs": ReportPack.objects.filter(created_at__lt=cut.report_packs).count(),
    }


def expired_consumer_messages(cutoff: datetime.datetime) -> QuerySet[ConsumerMessage]:
    """Messages past the period that are finished (sent or given up): one still in
    the outbox is left to its delivery."""
    return ConsumerMessage.objects.filter(created_at__lt=cutoff).filter(
        Q(sent_at__isnull=False) | Q(cancelled_at__isnull=False)
    )


def pipl_requests_overdue(*, today: datetime.date | None = None) -> QuerySet[PiplRequest]:
    """Unanswered requests past their deadline, the oldest first."""
    today = today or timezone.localdate()
    return PiplRequest.objects.filter(answered_on__isnull=True, due_on__lt=today).order_by(
        "due_on", "pk"
    )
