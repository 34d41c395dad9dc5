"""Computing a return for a period and an institution's area, and checking it before
anyone may download it.

The rows are one GROUP BY over the statistics page's own cohort
(``statistics.period_complaints``: visible to the user, received in the period,
handled in the area), each measure the same filter as the page's figure, so the
return's totals and the page's figures are two computations of one definition; the
``totals_match_statistics`` check computes both and refuses the return if they
differ. A return is a few hundred rows at most (institutions × codes used), built in
one aggregate query plus two lookups, so it is made in the request, not in the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.enums import OPEN_STATES, ComplaintStatus, Satisfaction
from complaints.models import TaxonomyCode
from complaints.selectors import (
    answered_late_q,
    overdue_q,
    past_due_q,
    statutory_answered_late_q,
    statutory_on_time_q,
    statutory_overdue_q,
)
from institutions.models import Institution, User
from supervision.selectors.statistics import complaint_statistics, period_complaints

from ..models import ReturnDefinition
from .periods import Period
from .spec import (
    INSTITUTION_FIELD,
    STATISTICS_NAME,
    TAXONOMY_FIELD,
    dimensions_used,
    measures_used,
    uses_institution,
)


def _answered() -> Q:
    return Q(answered_at__isnull=False)


def _measure_filters(now: datetime) -> dict[str, Callable[[], Q | None]]:
    """Each measure's filter, as statistics.complaint_statistics writes it (None:
    every complaint of the cohort)."""
    return {
        "received": lambda: None,
        "closed": _answered,
        "answered": _answered,
        "on_time": lambda: _answered() & Q(due_at__isnull=False, answered_at__lte=F("due_at")),
        "answered_late": answered_late_q,
        "open_overdue": lambda: overdue_q(now),
        # Disjoint (answered / open): the OR counts their sum, the page's ``late``.
        "late": lambda: answered_late_q() | overdue_q(now),
        "pending": lambda: Q(status__in=OPEN_STATES) & ~past_due_q(now),
        "statutory_on_time": statutory_on_time_q,
        "statutory_answered_late": statutory_answered_late_q,
        "statutory_open_overdue": lambda: statutory_overdue_q(now),
        "satisfied": lambda: _answered() & Q(satisfaction=Satisfaction.SATISFIED),
        "basically_satisfied": lambda: _answered() & Q(satisfaction=Satisfaction.BASIC),
        "unsatisfied": lambda: _answered() & Q(satisfaction=Satisfaction.UNSATISFIED),
        "repeat": lambda: Q(is_repeat=True),
        "major": lambda: Q(is_major=True),
        "refused": lambda: Q(status=ComplaintStatus.REFUSED),
        "transferred": lambda: Q(status=ComplaintStatus.TRANSFERRED),
        "withdrawn": lambda: Q(status=ComplaintStatus.WITHDRAWN),
    }


def _aggregate(name: str, now: datetime):
    if name == "money_recovered":
        return Coalesce(
            Sum("money_recovered"),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        )
    return Count("pk", filter=_measure_filters(now)[name]())


@dataclass(frozen=True)
class MissingCode:
    """A taxonomy code some rows use that has no code in the return (``code`` is
    empty for complaints not classified in that dimension at all)."""

    dimension: str
    code: str
    name: str
    complaints: int
    taxonomy_id: int | None = None


@dataclass(frozen=True)
class Mismatch:
    measure: str
    in_return: int | Decimal
    on_statistics_page: int | Decimal


@dataclass
class StatReturn:
    definition: ReturnDefinition
    period: Period
    root: Institution
    headers: list[str]
    keys: list[str]
    rows: list[list[Any]]
    totals: dict[str, int | Decimal]
    missing: list[MissingCode] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def ok(self) -> bool:
        """Downloadable: every check of the definition passed."""
        return not self.missing and not self.mismatches

    @property
    def filename_stem(self) -> str:
        return f"{self.definition.slug}-{self.root.code}-{self.period.label}"


def return_generate(
    *,
    user: User,
    definition: ReturnDefinition,
    period: Period,
    root: Institution,
    now: datetime | None = None,
) -> StatReturn:
    """The return's rows for ``root``'s area as ``user`` sees it, with the checks of
    its definition done (``StatReturn.ok``). The caller has checked that ``user``
    reaches ``root``; the cohort is scoped to the user whatever the caller passes."""
    now = now or timezone.now()
    spec = definition.spec
    dims = dimensions_used(spec)
    measures = measures_used(spec)
    inst_field = INSTITUTION_FIELD[spec.get("institution", "complained")]
    group = ([inst_field] if uses_institution(spec) else []) + [TAXONOMY_FIELD[d] for d in dims]
    cohort = period_complaints(user, start=period.start, end=period.end, root=root)
    needed = set(measures) | {"received"}
    grouped = (
        cohort.order_by()
        .values(*group)
        .annotate(**{f"m_{m}": _aggregate(m, now) for m in needed})
        .order_by(*group)
    )
    groups = list(grouped)
    with_inst = uses_institution(spec)
    institutions = Institution.objects.in_bulk({g[inst_field] for g in groups} if with_inst else [])
    codes = TaxonomyCode.objects.in_bulk(
        {g[TAXONOMY_FIELD[d]] for g in groups for d in dims} - {None}
    )
    code_lists = spec.get("code_lists", {})

    def code_of(dimension: str, taxonomy: TaxonomyCode | None) -> str:
        if taxonomy is None:
            return ""
        listed = code_lists.get(dimension)
        if listed is not None:
            return listed.get(taxonomy.code, "")
        return taxonomy.official_code

    def value(key: str, g: dict) -> Any:
        if key == "period":
            return period.label
        if key.startswith("institution."):
            inst = institutions.get(g[inst_field])
            attr = {"code": "code", "name": "name", "credit_code": "unified_credit_code"}
            return getattr(inst, attr[key.split(".")[1]], "") if inst else ""
        if key in measures:
            return g[f"m_{key}"]
        dimension, part = key.split(".")
        taxonomy = codes.get(g[TAXONOMY_FIELD[dimension]])
        if part == "code":
            return code_of(dimension, taxonomy)
        if taxonomy is None:
            return ""
        return taxonomy.code if part == "internal" else taxonomy.name

    keys = [c["value"] for c in spec["columns"]]
    result = StatReturn(
        definition=definition,
        period=period,
        root=root,
        headers=[c["header"] for c in spec["columns"]],
        keys=keys,
        rows=[[value(k, g) for k in keys] for g in groups],
        totals={m: sum((g[f"m_{m}"] for g in groups), start=_zero(m)) for m in measures},
    )
    checks = spec.get("validations", {})
    result.missing = _missing_codes(groups, dims, checks.get("require_codes", []), codes, code_of)
    if checks.get("totals_match_statistics"):
        result.mismatches = _compare(user, period, root, now, result.totals)
    return result


def _zero(measure: str) -> int | Decimal:
    return Decimal("0.00") if measure == "money_recovered" else 0


def _missing_codes(groups, dims, required, codes, code_of) -> list[MissingCode]:
    """Every code the rows use without a code in the return, with how many
    complaints of the period carry it: what the administrator must map first."""
    counts: dict[tuple[str, int | None], int] = {}
    for g in groups:
        for d in dims:
            if d not in required:
                continue
            pk = g[TAXONOMY_FIELD[d]]
            if not code_of(d, codes.get(pk)):
                counts[(d, pk)] = counts.get((d, pk), 0) + g["m_received"]
    # A required dimension the columns do not show is not checked: it is not in the
    # return.
    missing = []
    for (d, pk), n in sorted(counts.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        taxonomy = codes.get(pk)
        missing.append(
            MissingCode(
                dimension=d,
                code=taxonomy.code if taxonomy else "",
                name=taxonomy.name if taxonomy else _("未分类"),
                complaints=n,
                taxonomy_id=pk,
            )
        )
    return missing


def _compare(user, period, root, now, totals) -> list[Mismatch]:
    stats = complaint_statistics(user, start=period.start, end=period.end, root=root, now=now)
    mismatches = []
    for measure, total in totals.items():
        figure = getattr(stats, STATISTICS_NAME.get(measure, measure))
        if total != figure:
            mismatches.append(Mismatch(measure, total, figure))
    return mismatches
