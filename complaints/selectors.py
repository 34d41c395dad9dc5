"""Reads. Every query starts from the access policy's scope
(``complaints.rules.complaints_visible_to``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.db.models import Exists, F, Lookup, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import cached_property

from complaints import rules as complaint_access
from institutions import tree
from institutions.enums import Role
from institutions.models import Institution

from . import search
from .enums import ACTIVE_STATES, OPEN_STATES
from .enums import ComplaintStatus as S
from .models import Complaint, ComplaintAttachment, ExtensionRequest
from .validators import phone_search_term

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
    institution: Institution | None = None  # a subtree root
    own_level: bool = False  # only the institution itself, not its subtree
    overdue: bool = False
    major: bool = False
    repeat: bool = False
    date_from: object | None = None
    date_to: object | None = None
    q: str = ""
    mine: bool = False
    due_today: bool = False
    queue: str = ""  # a name of QUEUES


def day_bounds(day) -> tuple[datetime, datetime]:
    """Local midnight to the next local midnight, as aware datetimes: the one
    definition of a calendar day for lists, boards, statistics and the tally."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)


def overdue_q(now=None) -> Q:
    """Overdue from the facts: open and past its due time."""
    return Q(status__in=OPEN_STATES) & past_due_q(now)


def due_today_q(now=None) -> Q:
    """Due between the local midnights around ``now``: the list's 今日到期, the
    workbench's and the board's (complaints.tally)."""
    start, end = day_bounds(timezone.localtime(now or timezone.now()).date())
    return Q(due_at__gte=start, due_at__lt=end)


def past_due_q(now=None) -> Q:
    """Past its due time: what makes an open complaint overdue (``overdue_q``), for
    counts that already read only open complaints (the supervision board). A paused
    complaint (中止计时) is not overdue: its due time moves when it resumes."""
    return Q(due_at__lt=now or timezone.now(), paused_at__isnull=True)


def paused_q() -> Q:
    """Open with its clocks paused (中止计时)."""
    return Q(status__in=OPEN_STATES, paused_at__isnull=False)


def statutory_overdue_q(now=None) -> Q:
    """Open, not paused and past the statutory limit."""
    return Q(
        status__in=OPEN_STATES,
        paused_at__isnull=True,
        statutory_due_at__lt=now or timezone.now(),
    )


def statutory_on_time_q() -> Q:
    """Answered within the statutory limit."""
    return Q(
        answered_at__isnull=False,
        statutory_due_at__isnull=False,
        answered_at__lte=F("statutory_due_at"),
    )


def statutory_answered_late_q() -> Q:
    """Answered after the statutory limit."""
    return Q(
        answered_at__isnull=False,
        statutory_due_at__isnull=False,
        answered_at__gt=F("statutory_due_at"),
    )


def merge_candidates(user, complaint: Complaint) -> QuerySet[Complaint]:
    """The open complaints ``complaint`` may be merged into (合并): the same
    consumer's (same phone, or same ID number when one was given), other than itself,
    within ``user``'s scope; the earliest first."""
    return _same_consumer_open(
        user, complaint.complainant_phone, complaint.id_number, complaint.pk
    ).order_by("received_at", "pk")


def _same_consumer_open(user, phone, id_number, pk) -> QuerySet[Complaint]:
    """``merge_candidates`` for values or ``OuterRef``s (the detail page asks it as
    a subquery of the complaint's own row)."""
    same = Q(complainant_phone=phone) | Q(id_number=id_number, id_number__gt="")
    return (
        complaint_access.complaints_visible_to(user)
        .filter(same, status__in=OPEN_STATES)
        .exclude(pk=pk)
    )


def answered_late_q() -> Q:
    """Answered after its due time (a complaint with no due time is never late)."""
    return Q(answered_at__isnull=False, due_at__isnull=False, answered_at__gt=F("due_at"))


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
        qs = qs.filter(
            Q(handling_institution=f.institution)
            if f.own_level
            else tree.subtree_q(f.institution, "handling_institution")
        )
    if f.overdue:
        qs = qs.filter(overdue_q())
    if f.major:
        qs = qs.filter(is_major=True)
    if f.repeat:
        qs = qs.filter(is_repeat=True)
    if f.date_from:
        qs = qs.filter(received_at__gte=day_bounds(f.date_from)[0])
    if f.date_to:
        qs = qs.filter(received_at__lt=day_bounds(f.date_to)[1])
    if f.mine:
        qs = qs.filter(handler=user)
    if f.due_today:
        qs = qs.filter(Q(status__in=OPEN_STATES) & due_today_q())
    if f.q.strip():
        qs = qs.filter(search.free_text_q(f.q, alternative=search_q(f.q)))
    if f.queue:
        qs = qs.filter(queue_q(user, f.queue))
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


def count_in_list_order(filters: ComplaintFilters) -> bool:
    """Whether the list's bounded count should read the rows in the list's order
    (``BoundedPaginator(count_in_order=…)``): for a keyword search. A common word is
    checked complaint by complaint (``search.free_text_q``); counted newest first,
    by the list's index (``cmp_recv_scope`` holds the scope's columns: an index-only
    scan), the count probes the rows the page just read, instead of wherever a
    sequential scan starts: 60–70 ms instead of ~110 ms for a manager's common word
    at a million complaints (docs/search.md). Without a search the order is dropped,
    which the filtered lists' counts need (their partial indexes)."""
    return bool(filters.q.strip())


def search_q(term: str) -> Q:
    """Search on indexed columns: the exact tracking number, the old system's
    number of a migrated complaint (exact), the phone number (exact), the ID number
    (exact) or the name (prefix). No icontains over the table. The list ORs it with
    the keyword search in the free text (``search.free_text_q``)."""
    term = term.strip()
    if not term:
        return Q()
    legacy = Q(original_no=term)
    phone = phone_search_term(term)  # "138-0013-8000", "0319 1234567": stored as digits
    if term.isdigit() and len(term) >= 7:
        q = legacy | Q(complainant_phone=term) | Q(id_number=term) | Q(tracking_no__endswith=term)
        return q | Q(complainant_phone=phone) if phone and phone != term else q
    if phone:
        return legacy | Q(complainant_phone=phone)
    return (
        legacy
        | Q(tracking_no=term.upper())
        | Q(tracking_no=term)
        | Q(complainant_name__startswith=term)
        | Q(id_number=term.upper())
    )


#: At most this many earlier complaints are shown while the intake form is filled in.
EARLIER_LIMIT = 10


def earlier_complaints_for_user(user, *, phone: str = "", id_number: str = "") -> QuerySet:
    """The customer's earlier complaints among those the user can see, newest first,
    while the intake form is being filled in: only for a complete phone number (the
    form's own check) or a complete ID number, matched exactly on indexed columns,
    so a few typed digits can neither list strangers nor scan the table."""
    from django.core.exceptions import ValidationError

    from .validators import validate_phone

    who = Q(pk__in=[])
    phone = (phone or "").strip()
    try:
        validate_phone(phone)
    except ValidationError:
        pass
    else:
        who |= Q(complainant_phone=phone)
    id_number = (id_number or "").strip().upper()
    if len(id_number) in (15, 18) and id_number.isalnum():
        who |= Q(id_number=id_number)
    return complaint_list_for_user(user).filter(who)[:EARLIER_LIMIT]


def _detail_queryset() -> QuerySet[Complaint]:
    return Complaint.objects.select_related(
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
        "statutory_pack",
        "merged_into",
        "hotline_transfer",
    ).prefetch_related("extensions__requested_by", "extensions__decided_by", "pauses")


def complaint_detail_for_user(user, pk) -> Complaint:
    """The detail page's complaint with what it shows, in a fixed number of queries."""
    return complaint_access.complaint_get_for_user(user, pk, queryset=_detail_queryset())


def complaint_page_for_user(user, pk) -> Complaint:
    """``complaint_detail_for_user`` with what the detail page asks besides: the case
    file read once (``live_attachments``: the list, and whether 删除材料 is offered)
    and whether the consumer has another open complaint the user sees
    (``has_merge_candidate``: whether 合并 is offered), so the page stays within its
    statement budget (docs/performance.md). The workflow's conditions use them when
    present and ask the database otherwise (the action itself, the API)."""
    others = _same_consumer_open(
        user, OuterRef("complainant_phone"), OuterRef("id_number"), OuterRef("pk")
    )
    qs = (
        _detail_queryset()
        .annotate(has_merge_candidate=Exists(others))
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=_live(ComplaintAttachment.objects.all()),
                to_attr="live_attachments",
            )
        )
    )
    return complaint_access.complaint_get_for_user(user, pk, queryset=qs)


def attachment_for(complaint: Complaint, pk) -> ComplaintAttachment:
    """One evidence file of a complaint the caller already fetched through the
    user's scope; 404 when it is not this complaint's or was removed."""
    from django.http import Http404

    found = complaint.attachments.filter(pk=pk, removed_at__isnull=True).first()
    if found is None:
        raise Http404
    return found


def timeline_for(complaint: Complaint):
    return complaint.timeline.select_related("actor").order_by("created_at", "pk")


def earlier_answers(complaint: Complaint, timeline) -> list:
    """The answers given before the complaint was reopened (each one the customer was
    not satisfied with, or came back after), oldest first; empty unless reopened."""
    if not complaint.reopen_count:
        return []
    answers = [t for t in timeline if t.action == "answer"]
    return answers[:-1] if complaint.answered_at is not None else answers


def approved_extension(complaint: Complaint) -> ExtensionRequest | None:
    """The approved extension that set the current due time, if any (from the
    prefetched requests of the detail selector)."""
    approved = [
        e for e in complaint.extensions.all() if e.decision == ExtensionRequest.Decision.APPROVED
    ]
    return max(approved, key=lambda e: e.decided_at or e.created_at, default=None)


# --- Work queues (我的工作台 and the list's queue filter) -----------------------------


def awaiting_assignment_q(user) -> Q:
    """待分办: the action table's ``assign`` as a filter, for the complaints still
    registered (``assign`` also re-assigns an assigned one, which waits for nobody):
    the handling institution is one the user manages (its permission) and the user is
    not the person complained about (``not_a_party``)."""
    return (
        Q(status=S.REGISTERED)
        & complaint_access.managed_handling_q(user)
        & ~Q(complained_staff=user)
    )


def awaiting_approval_q(user) -> Q:
    """待我审批: the action table's ``decide_extension`` as a filter (the one action
    that approves what someone else asked for): an active complaint, handled where
    the user manages it, with a pending extension request made by someone else
    (``pending_extension_of_another``), the user not being the person complained
    about. A test checks it against ``available_actions`` complaint by complaint."""
    # The pending requests are few: one hashed set of their complaints, rather than
    # an EXISTS probe for every open complaint.
    pending = (
        ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING)
        .exclude(requested_by=user)
        .values("complaint_id")
    )
    return (
        Q(status__in=ACTIVE_STATES, pk__in=pending)
        & complaint_access.managed_handling_q(user)
        & ~Q(complained_staff=user)
    )


#: The queues a user may be offered: each collects the complaints on which one
#: action of the action table waits for the user.
QUEUES = {
    "awaiting_assignment": ("assign", awaiting_assignment_q),
    "awaiting_approval": ("decide_extension", awaiting_approval_q),
}


def queues_for(user) -> list[str]:
    """The queues ``user`` can ever act on, decided by the action's permission in the
    access policy (``may_act_on_some``): a teller or handler never assigns or
    approves, so is never shown 待分办 or 待我审批."""
    from .workflow import ACTIONS

    return [
        name
        for name, (action, _q) in QUEUES.items()
        if complaint_access.may_act_on_some(user, ACTIONS[action].permission)
    ]


def queue_q(user, name: str) -> Q:
    """The filter of queue ``name`` for ``user``; nothing if the user has no such queue."""
    if name not in QUEUES or name not in queues_for(user):
        return Q(pk__in=[])
    return QUEUES[name][1](user)


@dataclass
class WorkQueues:
    """The workbench's counts. A queue the user never acts on is None (no tile)."""

    due_today: int
    overdue: int
    mine: int
    awaiting_assignment: int | None
    awaiting_approval: int | None
    open_total: int
    #: When ``due_today``, ``overdue`` and ``open_total`` were counted (the tally).
    as_of: datetime | None = None


def work_queues(user, *, now: datetime | None = None) -> WorkQueues:
    """The counts on 我的工作台. Those over many open complaints — 今日到期, 已逾期,
    未办结 over every one the user can see, 待分办 over the registered ones of every
    institution the user manages — are the tally's (complaints.tally): summed from
    the latest run's rows in the user's scope, not counted over the complaints on
    each view, and ``as_of`` says when. 待分办 leaves out, live, the few registered
    complaints about the user himself (``awaiting_assignment_q``). 分办给我 and
    待我审批 are counted live: a handler's open cases and the pending extension
    requests are few. Each counts what the list's filter lists (at ``as_of``)."""
    # The tally counts with this module's deadline filters, so it imports this module.
    from .tally import tally_current, tally_rows

    run = tally_current(now=now)
    queues = queues_for(user)
    sums = complaint_access.complaints_visible_to(user, tally_rows(run)).aggregate(
        open_total=Sum("open"),
        due_today=Sum("due_today"),
        overdue=Sum("overdue"),
        registered=Sum("registered", filter=complaint_access.managed_handling_q(user)),
    )
    open_visible = complaint_access.complaints_visible_to(user).filter(status__in=OPEN_STATES)
    awaiting_assignment = None
    if "awaiting_assignment" in queues:
        about_user = open_visible.filter(
            Q(status=S.REGISTERED) & complaint_access.managed_handling_q(user),
            complained_staff=user,
        ).count()
        awaiting_assignment = (sums["registered"] or 0) - about_user
    awaiting_approval = None
    if "awaiting_approval" in queues:
        awaiting_approval = open_visible.filter(awaiting_approval_q(user)).count()
    return WorkQueues(
        due_today=sums["due_today"] or 0,
        overdue=sums["overdue"] or 0,
        mine=open_visible.filter(handler=user).count(),
        awaiting_assignment=awaiting_assignment,
        awaiting_approval=awaiting_approval,
        open_total=sums["open_total"] or 0,
        as_of=run.counted_at,
    )


def awaiting_approval_among(user, pks) -> set[int]:
    """Which of the complaints ``pks`` (a page of a list) wait for the user's
    approval: their rows carry the 待审批 badge. One query, none for a user who
    never approves."""
    if "awaiting_approval" not in queues_for(user) or not pks:
        return set()
    return set(
        Complaint.objects.filter(awaiting_approval_q(user), pk__in=list(pks)).values_list(
            "pk", flat=True
        )
    )


# --- Pages of long lists ---------------------------------------------------------------

#: Lists count at most this many rows exactly; beyond it they say "more than". An
#: exact count of the complaints a supervisor can see reads every one of them (a
#: million rows, most of a second) on each page view, to print one number nobody
#: pages through.
COUNT_LIMIT = 1000
#: From this offset on a page is fetched in two steps inside one statement (the ids
#: of the page, then those rows), so the rows skipped are read from an index only.
DEEP_OFFSET = 500


class _AnyOf(Lookup):
    """``lhs = ANY(<array>)`` (PostgreSQL), for an ``ArraySubquery`` on the right."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


class BoundedPage(Page):
    """A page of a ``BoundedPaginator``; when the total is not known, whether a next
    page exists comes from fetching one row more than the page shows."""

    more: bool | None = None

    def has_next(self) -> bool:
        return self.more if self.more is not None else super().has_next()

    def end_index(self) -> int:
        if self.more is None:
            return super().end_index()
        return self.start_index() + len(self) - 1


class BoundedPaginator(Paginator):
    """Django's paginator with a bounded count: up to ``count_limit`` rows the count,
    the number of pages and every page are exact, as usual; past it ``bounded`` is
    True, ``count`` is ``count_limit + 1`` (read it as "more than ``count_limit``"),
    any page number may be asked for, and a page past the last row falls back to the
    last page that the count vouches for. Deep pages use a deferred join: the ids of
    the page are chosen from the index (the row's own columns are not read for the
    rows skipped), then only those rows are fetched, in the same statement."""

    def __init__(
        self,
        object_list,
        per_page,
        *,
        count_limit: int | None = None,
        rows=None,
        count_in_order: bool = False,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        # Count in the list's own order (a keyword search, ``count_in_list_order``):
        # otherwise the order is dropped and PostgreSQL counts by any plan it likes.
        self.count_in_order = count_in_order
        # ``rows(queryset)``: how a page's rows are read (e.g. ``complaints.rows.for_rows``,
        # a values list). Applied to the page only: counting a values list would carry
        # its columns and their joins into the counting subquery.
        self.project = rows
        # At least a page: "more than the limit" then always means a next page.
        self.count_limit = max(COUNT_LIMIT if count_limit is None else count_limit, per_page)

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            counted = self.object_list if self.count_in_order else self.object_list.order_by()
            return counted[: self.count_limit + 1].count()
        return min(len(self.object_list), self.count_limit + 1)

    @property
    def bounded(self) -> bool:
        return self.count > self.count_limit

    def validate_number(self, number):
        if not self.bounded:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)  # raises PageNotAnInteger
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.bounded:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return self._get_page(list(self._rows(bottom, top)), number, self)
        rows = list(self._rows(bottom, bottom + self.per_page + 1))
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        page = self._get_page(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page  # type: ignore[attr-defined]
        return page

    def get_page(self, number) -> Page:
        try:
            return super().get_page(number)
        except EmptyPage:  # past the last row of a bounded list
            return self.page(self.num_pages)

    def _get_page(self, *args, **kwargs) -> Page:
        return BoundedPage(*args, **kwargs)

    def _rows(self, bottom: int, top: int):
        qs = self.object_list
        if not isinstance(qs, QuerySet):
            return qs[bottom:top]
        read = self.project(qs) if self.project else qs
        if bottom < DEEP_OFFSET:
            return read[bottom:top]
        ids = qs.values("pk")[bottom:top]
        if connections[qs.db].vendor == "postgresql":
            # ``id = ANY(ARRAY(<the page's ids>))``: the ids are an InitPlan computed
            # first, then the rows are fetched by primary key. With ``id IN (…)`` and
            # more than seven related tables (the API's list) PostgreSQL keeps the
            # joins in written order (join_collapse_limit) and joins the whole table
            # before the 26 ids: 2.5 s instead of 40 ms at a million rows.
            return read.filter(_AnyOf(F("pk"), ArraySubquery(ids)))
        return read.filter(pk__in=ids)


# --- the staff member complained about (非当事人) -------------------------------------

#: Roles of bank staff who can be complained about; the office's own people and the
#: system administrators are not bank counter staff.
STAFF_ROLES = (Role.TELLER, Role.HANDLER, Role.MANAGER)


def complained_staff_candidates(institution) -> QuerySet:
    """The active staff of the complained-about institution and everything below it
    (a complaint about a sub-branch may name someone at one of its outlets), by name.
    The intake form offers these; a typed name is matched against them."""
    from institutions.models import Institution, User

    return (
        User.objects.filter(
            is_active=True,
            role__in=STAFF_ROLES,
            institution__in=Institution.objects.subtree_of(institution).values("pk"),
        )
        .select_related("institution")
        .order_by("full_name", "username")
    )


def complained_staff_by_name(institution, name: str) -> list:
    """The candidates whose name is exactly ``name``: one means the typed name is
    that person; more than one means it is ambiguous and someone must be chosen."""
    name = (name or "").strip()
    if not name:
        return []
    return list(complained_staff_candidates(institution).filter(full_name=name)[:5])


def attachments_of(complaint: Complaint):
    """The complaint's case file as lists show it: files and recording references
    that were not removed, oldest first."""
    return _live(complaint.attachments.all())


def _live(attachments: QuerySet[ComplaintAttachment]) -> QuerySet[ComplaintAttachment]:
    return attachments.filter(removed_at__isnull=True).select_related("uploaded_by")


def case_file(complaint: Complaint):
    """``attachments_of``, or the list ``complaint_page_for_user`` already read."""
    live = getattr(complaint, "live_attachments", None)
    return attachments_of(complaint) if live is None else live
