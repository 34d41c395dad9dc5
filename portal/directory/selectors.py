"""Reads for the public directory. Only what an institution publishes leaves here:
name, short name, kind, address and the published complaint fields (never codes,
staff or anything internal); the queries load only those columns.

Every query is bounded: the listing and the search return at most ``LIST_LIMIT`` /
``SEARCH_LIMIT`` rows (one more is read to say that there were more), in a fixed
number of queries whatever the size of the jurisdiction. The jurisdiction filter is
the indexed ``regulator`` foreign key; the text search scans only that jurisdiction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from institutions import tree
from institutions.access import scope
from institutions.enums import InstitutionKind
from institutions.models import Institution

if TYPE_CHECKING:
    from institutions.models import User

#: What every institution publishes (the county rules: 公示投诉电话、受理部门、范围、时限).
PUBLISHED_FIELDS = (
    "complaint_phone",
    "complaint_department",
    "complaint_scope",
    "complaint_time_limit",
)
#: A supervising office also publishes its hotline (12363 / 12378).
OFFICE_FIELDS = (*PUBLISHED_FIELDS, "hotline")
#: The columns a public page may show; nothing else is read.
PUBLIC_COLUMNS = (
    "id",
    "name",
    "short_name",
    "kind",
    "parent_id",
    "regulator_id",
    "path",
    "depth",
    "address",
    *OFFICE_FIELDS,
)
LIST_LIMIT = 300
SEARCH_LIMIT = 50
STAFF_PAGE_SIZE = 100


# --- Which offices the public site serves --------------------------------------------


def directory_offices() -> list[Institution]:
    """The active supervising office(s) whose jurisdiction is published: the one named
    by ``settings.PORTAL_OFFICE_CODE``, or every active office when it is empty."""
    qs = Institution.objects.filter(kind=InstitutionKind.REGULATOR, is_active=True)
    code = getattr(settings, "PORTAL_OFFICE_CODE", "")
    if code:
        qs = qs.filter(code=code)
    return list(qs.only(*PUBLIC_COLUMNS).order_by("path"))


def published_q(offices: list[Institution]) -> Q:
    """Active institutions in the jurisdiction of any of ``offices`` (the offices
    included)."""
    q = Q(pk__in=[])
    for office in offices:
        q |= tree.jurisdiction_q(office)
    return Q(is_active=True) & q


def public_institutions(offices: list[Institution]) -> QuerySet[Institution]:
    return Institution.objects.filter(published_q(offices)).only(*PUBLIC_COLUMNS)


def institution_get_public(pk: int | str) -> tuple[Institution, Institution | None]:
    """A published institution and the office that supervises it, or 404 (missing,
    inactive and outside the served jurisdiction answer the same)."""
    offices = directory_offices()
    try:
        inst = public_institutions(offices).get(pk=pk)
    except (Institution.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    office_id = tree.supervising_office_id(inst)
    return inst, next((o for o in offices if o.pk == office_id), None)


def bank_get_public(pk: int | str) -> Institution:
    """The top of a published bank, or 404."""
    try:
        return public_institutions(directory_offices()).filter(tree.bank_roots_q()).get(pk=pk)
    except (Institution.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# --- Completeness ----------------------------------------------------------------------


def required_fields(inst: Institution) -> tuple[str, ...]:
    return OFFICE_FIELDS if inst.kind == InstitutionKind.REGULATOR else PUBLISHED_FIELDS


def missing_fields(inst: Institution) -> list[str]:
    """The names of the published fields the institution leaves empty."""
    return [name for name in required_fields(inst) if not getattr(inst, name).strip()]


def field_label(name: str) -> str:
    """The field's label as the admin shows it (投诉电话, 受理部门 …)."""
    return str(getattr(Institution._meta.get_field(name), "verbose_name", name))


def incomplete_q() -> Q:
    """Institutions with at least one required published field empty (the admin's
    form strips whitespace, so empty is ``""``)."""
    q = Q(pk__in=[])
    for name in PUBLISHED_FIELDS:
        q |= Q(**{name: ""})
    return q | Q(kind=InstitutionKind.REGULATOR, hotline="")


def hotlines(office: Institution | None) -> list[str]:
    """The office's hotline numbers ("12363", "12363/12378" → two)."""
    if office is None or not office.hotline:
        return []
    return [n for n in re.split(r"[\s,，/、;；]+", office.hotline) if n]


# --- The directory ---------------------------------------------------------------------


@dataclass
class BankGroup:
    bank: Institution
    members: list[Institution] = field(default_factory=list)


@dataclass
class OfficeSection:
    office: Institution
    hotlines: list[str]
    banks: list[BankGroup] = field(default_factory=list)


@dataclass
class Directory:
    sections: list[OfficeSection]
    banks: list[Institution]
    shown: int
    limit: int
    truncated: bool


def _matching(query: str) -> Q:
    return Q(name__icontains=query) | Q(short_name__icontains=query) | Q(address__icontains=query)


def directory_for(*, query: str = "", bank: Institution | None = None) -> Directory:
    """The directory grouped by office, then by bank (tree order within a bank),
    optionally narrowed to names or addresses containing ``query`` and to one bank.
    Four queries whatever the size: the offices, the banks, the rows, their banks'
    tops (when a row's top is not among the listed banks)."""
    offices = directory_offices()
    published = public_institutions(offices)
    banks = list(published.filter(tree.bank_roots_q()).order_by("path")[:LIST_LIMIT])
    rows_qs = published.exclude(kind=InstitutionKind.REGULATOR)
    if query:
        rows_qs = rows_qs.filter(_matching(query))
    if bank is not None:
        rows_qs = rows_qs.filter(tree.subtree_q(bank))
    limit = SEARCH_LIMIT if query else LIST_LIMIT
    rows = list(rows_qs.order_by("path")[: limit + 1])
    truncated = len(rows) > limit
    rows = rows[:limit]

    tops = {b.pk: b for b in banks}
    unknown = {tree.bank_root_id(r) for r in rows} - set(tops)
    if unknown:
        # The top of the bank is inactive: its name still heads its active branches.
        tops.update(
            {b.pk: b for b in Institution.objects.filter(pk__in=unknown).only(*PUBLIC_COLUMNS)}
        )

    sections = {o.pk: OfficeSection(office=o, hotlines=hotlines(o)) for o in offices}
    groups: dict[int, BankGroup] = {}
    for row in rows:
        top_id = tree.bank_root_id(row)
        group = groups.get(top_id)
        if group is None:
            group = groups[top_id] = BankGroup(bank=tops[top_id])
            sections[tree.supervising_office_id(row) or 0].banks.append(group)
        row.level = row.depth - group.bank.depth  # type: ignore[attr-defined]
        group.members.append(row)
    return Directory(
        sections=list(sections.values()),
        banks=banks,
        shown=len(rows),
        limit=limit,
        truncated=truncated,
    )


# --- The office's chase list -----------------------------------------------------------


def incomplete_for_user(user: User) -> QuerySet[Institution]:
    """Active institutions the user's scope reaches (an office: its jurisdiction)
    whose published information is incomplete, in tree order."""
    qs = Institution.objects.filter(is_active=True).filter(incomplete_q())
    return scope(user, qs).only(*PUBLIC_COLUMNS, "code").order_by("path")
