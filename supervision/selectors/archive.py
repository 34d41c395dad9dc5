"""Reads of the case archive (typical cases, circulations, read receipts) and of the
enforcement follow-ups. Every query starts from the access policy
(``supervision.rules``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from complaints.masking import LIST, mask_id_number, mask_name, mask_phone
from complaints.models import Complaint
from complaints.selectors import day_bounds
from institutions import tree
from institutions.models import Institution, User
from supervision import rules as access

from ..enums import TYPICAL_CASE_STATES
from ..models import CaseReadReceipt, Circulation, EnforcementCase, TypicalCase
from .board import area_q, board_root, board_root_of, board_rows, row_of

# --- Typical cases ---------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    category: str = ""
    business: int | None = None
    cause: int | None = None
    unread: bool = False


def typical_case_library(user: User, filters: LibraryFilters | None = None) -> QuerySet:
    """The library (案例库): the cases the user may read, newest first, with
    ``reaches_me`` (circulated to the user's institution or above) and ``read_by_me``.
    Title search is ``icontains``: the archive is a few hundred rows at most."""
    f = filters or LibraryFilters()
    qs = access.typical_case_list_for_user(user).select_related(
        "owner", "complaint__business", "complaint__cause"
    )
    if user.institution_id:
        reaches = Circulation.objects.filter(
            case=OuterRef("pk"), institution_id__in=access.above_and_own(user)
        )
    else:
        reaches = Circulation.objects.none()
    qs = qs.annotate(
        reaches_me=Exists(reaches),
        read_by_me=Exists(
            CaseReadReceipt.objects.filter(circulation__case=OuterRef("pk"), user=user)
        ),
    )
    if f.q.strip():
        qs = qs.filter(title__icontains=f.q.strip())
    if f.category:
        qs = qs.filter(category=f.category)
    if f.business:
        qs = qs.filter(complaint__business_id=f.business)
    if f.cause:
        qs = qs.filter(complaint__cause_id=f.cause)
    if f.unread:
        qs = qs.filter(reaches_me=True, read_by_me=False, published=True)
    return qs.defer(*(f"complaint__{name}" for name in _COMPLAINT_TEXT)).order_by(
        "-created_at", "-pk"
    )


# Free text of the complaint is never shown in the archive (it may name people).
_COMPLAINT_TEXT = ("description", "demand", "findings", "measures", "answer_note")


def typical_case_detail(user: User, pk) -> TypicalCase:
    """A case the user may read, with what its page shows; 404 otherwise."""
    qs = TypicalCase.objects.select_related(
        "owner",
        "created_by",
        "published_by",
        "complaint__business",
        "complaint__cause",
        "complaint__handling_institution",
        "complaint__complained_institution",
    )
    return access.typical_case_get_for_user(user, pk, queryset=qs)


@dataclass(frozen=True)
class MaskedParty:
    """The complainant as the archive shows them: always the list-level masks."""

    name: str
    phone: str
    id_number: str


def masked_party(complaint: Complaint) -> MaskedParty:
    return MaskedParty(
        name=mask_name(complaint.complainant_name, LIST),
        phone=mask_phone(complaint.complainant_phone, LIST),
        id_number=mask_id_number(complaint.id_number, LIST),
    )


@dataclass(frozen=True)
class CirculationStatus:
    circulation: Circulation
    receipts: list[CaseReadReceipt]

    @property
    def read_count(self) -> int:
        return len(self.receipts)


def circulation_status(case: TypicalCase) -> list[CirculationStatus]:
    """Each institution the case went to, with who confirmed reading it (two
    queries for the whole case)."""
    circs = (
        case.circulations.select_related("institution", "circulated_by")
        .prefetch_related(
            Prefetch(
                "receipts",
                queryset=CaseReadReceipt.objects.select_related("user", "institution").order_by(
                    "read_at"
                ),
            )
        )
        .order_by("institution__path")
    )
    return [CirculationStatus(c, list(c.receipts.all())) for c in circs]


def read_receipt_for(user: User, case: TypicalCase) -> CaseReadReceipt | None:
    return (
        CaseReadReceipt.objects.filter(circulation__case=case, user=user)
        .order_by("read_at")
        .first()
    )


def unread_circulated_count(user: User) -> int:
    """Published cases circulated to the user's institution (or above) that the
    user has not confirmed yet."""
    return typical_case_library(user, LibraryFilters(unread=True)).count()


# --- Enforcement cases (诉转案) ----------------------------------------------------------


def enforcement_cases(
    user: User,
    *,
    root: Institution | None = None,
    start: date | None = None,
    end: date | None = None,
    status: str = "",
) -> QuerySet[EnforcementCase]:
    """Enforcement cases the user may see, about institutions in ``root``'s area,
    opened within ``start``–``end`` (inclusive, local days) when given."""
    qs = access.enforcement_list_for_user(user).filter(
        area_q(board_root(user, root), "institution")
    )
    if start:
        qs = qs.filter(opened_at__gte=day_bounds(start)[0])
    if end:
        qs = qs.filter(opened_at__lt=day_bounds(end)[1])
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("complaint", "institution", "opened_by").order_by("-opened_at", "-pk")


@dataclass(frozen=True)
class InstitutionCount:
    institution: Institution
    count: int
    #: True for cases about the root institution itself.
    own_level: bool = False


def enforcement_counts(
    user: User, *, start: date, end: date, root: Institution | None = None
) -> list[InstitutionCount]:
    """诉转案 per institution below ``root`` (the board's rows, subtrees aggregated)
    opened in the period: for the appraisal. Three queries."""
    root = board_root_of(user, root)
    rows = board_rows(user, root)
    data = (
        enforcement_cases(user, root=root, start=start, end=end)
        .annotate(board_row=row_of(rows, root, "institution"))
        .values("board_row")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_row = {d["board_row"]: d["n"] for d in data}
    return [InstitutionCount(root, by_row.get(root.pk, 0), own_level=True)] + [
        InstitutionCount(r, by_row.get(r.pk, 0)) for r in rows
    ]


def enforcement_figures(
    *, institutions: list[Institution], starts_on: date, ends_on: date
) -> dict[int, int]:
    """诉转案 opened in the period about each appraised subtree (the subtrees must not
    overlap), in one grouped query; no user scoping: the appraisal has already scoped
    the institutions it appraises."""
    if not institutions:
        return {}
    rows = (
        EnforcementCase.objects.filter(
            tree.under_any_q(institutions, "institution"),
            opened_at__gte=day_bounds(starts_on)[0],
            opened_at__lt=day_bounds(ends_on)[1],
        )
        .order_by()
        .values_list(tree.which_subtree(institutions, "institution"))
        .annotate(n=Count("pk"))
    )
    found = dict(rows)
    return {inst.pk: found.get(inst.pk, 0) for inst in institutions}


@dataclass(frozen=True)
class ComplaintSupervision:
    """What the complaint page shows of the desk: the typical case and enforcement
    cases made from it, and whether the user may make one."""

    typical_cases: list[TypicalCase]
    enforcement_cases: list[EnforcementCase]
    can_make_typical: bool
    can_open_enforcement: bool

    @property
    def shown(self) -> bool:
        return bool(
            self.typical_cases
            or self.enforcement_cases
            or self.can_make_typical
            or self.can_open_enforcement
        )


def complaint_supervision(user: User, complaint: Complaint) -> ComplaintSupervision:
    """At most two queries (none for staff who may see neither kind)."""
    typical = list(
        access.typical_case_list_for_user(user, TypicalCase.objects.filter(complaint=complaint))
    )
    enforcement = (
        list(
            access.enforcement_list_for_user(
                user, EnforcementCase.objects.filter(complaint=complaint)
            )
        )
        if access.can_view_enforcement(user)
        else []
    )
    return ComplaintSupervision(
        typical_cases=typical,
        enforcement_cases=enforcement,
        can_make_typical=bool(
            not typical
            and complaint.status in TYPICAL_CASE_STATES
            and access.can_create_typical_case(user, complaint)
        ),
        can_open_enforcement=bool(access.can_open_enforcement(user, complaint)),
    )
