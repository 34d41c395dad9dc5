"""Reads. Every query starts from the access policy's scope
(``institutions.access.complaints.complaints_visible_to``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from institutions.access import complaints as complaint_access
from institutions.enums import Role

from .enums import ACTIVE_STATES, OPEN_STATES
from .enums import ComplaintStatus as S
from .models import Complaint, ExtensionRequest

# Long free text is not shown in lists; everything else on the row is small.
LIST_DEFERRED = (
    "description",
    "demand",
    "findings",
    "measures",
    "staff_opinion",
    "answer_note",
    "reverification",
    "refusal_note",
    "transfer_reason",
)

SORTS = {
    "received": ("-received_at", "-id"),
    "received_asc": ("received_at", "id"),
    "due": ("due_at", "id"),
    "status": ("status", "-received_at", "-id"),
}


@dataclass
class ComplaintFilters:
    status: list[str] | None = None
    intake_source: str = ""
    business: int | None = None
    cause: int | None = None
    complexity: str = ""
    institution: object | None = None  # a subtree root
    overdue: bool = False
    major: bool = False
    repeat: bool = False
    date_from: object | None = None
    date_to: object | None = None
    q: str = ""
    mine: bool = False
    due_today: bool = False


def _day_bounds(day) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, start + timedelta(days=1)


def overdue_q(now=None) -> Q:
    """Overdue from the facts: open past its due time, or answered after it."""
    now = now or timezone.now()
    return Q(status__in=OPEN_STATES, due_at__lt=now)


def complaint_list_for_user(
    user, filters: ComplaintFilters | None = None, sort: str = "received"
) -> QuerySet[Complaint]:
    f = filters or ComplaintFilters()
    qs = complaint_access.complaints_visible_to(user)
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.intake_source:
        qs = qs.filter(intake_source=f.intake_source)
    if f.business:
        qs = qs.filter(business_id=f.business)
    if f.cause:
        qs = qs.filter(cause_id=f.cause)
    if f.complexity:
        qs = qs.filter(complexity=f.complexity)
    if f.institution is not None:
        qs = qs.filter(handling_institution__path__startswith=f.institution.path)
    if f.overdue:
        qs = qs.filter(overdue_q())
    if f.major:
        qs = qs.filter(is_major=True)
    if f.repeat:
        qs = qs.filter(is_repeat=True)
    if f.date_from:
        qs = qs.filter(received_at__gte=_day_bounds(f.date_from)[0])
    if f.date_to:
        qs = qs.filter(received_at__lt=_day_bounds(f.date_to)[1])
    if f.mine:
        qs = qs.filter(handler=user)
    if f.due_today:
        start, end = _day_bounds(timezone.localdate())
        qs = qs.filter(status__in=OPEN_STATES, due_at__gte=start, due_at__lt=end)
    if f.q:
        qs = qs.filter(search_q(f.q))
    return (
        qs.select_related(
            "handling_institution",
            "handler",
            "category",
            "accepting_institution",
            "business",
            "cause",
        )
        .defer(*LIST_DEFERRED)
        .order_by(*SORTS.get(sort, SORTS["received"]))
    )


def search_q(term: str) -> Q:
    """Search on indexed columns only: the exact tracking number, the phone number
    (exact), the ID number (exact) or the name (prefix). No icontains over the table."""
    term = term.strip()
    if not term:
        return Q()
    if term.isdigit() and len(term) >= 7:
        return Q(complainant_phone=term) | Q(id_number=term) | Q(tracking_no__endswith=term)
    return (
        Q(tracking_no=term.upper())
        | Q(tracking_no=term)
        | Q(complainant_name__startswith=term)
        | Q(id_number=term.upper())
    )


def complaint_detail_for_user(user, pk) -> Complaint:
    """The detail page's complaint with what it shows, in a fixed number of queries."""
    qs = Complaint.objects.select_related(
        "handling_institution",
        "accepting_institution",
        "complained_institution",
        "handler",
        "first_responder",
        "category",
        "channel",
        "business",
        "cause",
        "complained_staff",
        "repeat_of",
        "sla_rule",
    ).prefetch_related("extensions__requested_by", "extensions__decided_by")
    return complaint_access.complaint_get_for_user(user, pk, queryset=qs)


def timeline_for(complaint: Complaint):
    return complaint.timeline.select_related("actor").order_by("created_at", "pk")


@dataclass
class WorkQueues:
    due_today: int
    overdue: int
    mine: int
    awaiting_assignment: int
    awaiting_approval: int
    open_total: int


def work_queues(user) -> WorkQueues:
    """The counts on 我的工作台."""
    visible = complaint_access.complaints_visible_to(user)
    start, end = _day_bounds(timezone.localdate())
    now = timezone.now()
    approvals = 0
    awaiting = 0
    if user.role in (Role.MANAGER, Role.REGULATOR):
        awaiting = (
            visible.filter(status=S.REGISTERED)
            .filter(handling_institution__in=_managed_institutions(user))
            .count()
        )
        approvals = (
            visible.filter(status__in=ACTIVE_STATES)
            .filter(
                Exists(
                    ExtensionRequest.objects.filter(
                        complaint=OuterRef("pk"), decision=ExtensionRequest.Decision.PENDING
                    ).exclude(requested_by=user)
                )
            )
            .count()
        )
    return WorkQueues(
        due_today=visible.filter(status__in=OPEN_STATES, due_at__gte=start, due_at__lt=end).count(),
        overdue=visible.filter(status__in=OPEN_STATES, due_at__lt=now).count(),
        mine=visible.filter(handler=user, status__in=OPEN_STATES).count(),
        awaiting_assignment=awaiting,
        awaiting_approval=approvals,
        open_total=visible.filter(status__in=OPEN_STATES).count(),
    )


def _managed_institutions(user):
    from institutions.access import institutions_visible_to

    return institutions_visible_to(user)


def pending_approvals(user) -> QuerySet[Complaint]:
    return complaint_list_for_user(user).filter(
        Exists(
            ExtensionRequest.objects.filter(
                complaint=OuterRef("pk"), decision=ExtensionRequest.Decision.PENDING
            ).exclude(requested_by=user)
        )
    )
