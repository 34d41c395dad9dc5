"""Complaint hot spots (投诉热点): the JR/T cause × business line × institution cells
whose count rose beyond a threshold against *both* the previous period and the same
period last year.

Population: the statistics page's cohort (``statistics.period_complaints``): the
complaints the user can see whose handling institution lies in ``root``'s area,
received in one of the three periods. Complaints without a cause or a business line
count in their institution's total but form no cell (a cell must be a filter of the
complaint list).

Institutions are the board's rows (``board.board_rows``): for an office, each bank of
its jurisdiction with its subtree; for a bank (or an office looking into one), each
child with its subtree, plus the bank's own level (本级, cases handled at the bank
itself). An office's own intake not yet dispatched is nobody's hot spot and forms no
cell. Choose a subtree to see the hot spots one level further down.

The rule (docs/supervision.md): a cell is a hot spot when

* its count this period is at least ``min_count``; and
* against the previous period *and* against the same period last year, the count
  rose by at least ``min_rise_percent`` per cent: ``current > base`` and
  ``current × 100 ≥ base × (100 + min_rise_percent)``. A base of zero counts as a rise
  (a new problem), so ``min_count`` is what keeps single cases out.

The share (占比) shown beside each count is the cell's count over all complaints of
its institution (row) in that period: a context figure, not part of the rule (the
institutions have no business-volume figure to divide by).

One grouped query (three ``COUNT … FILTER`` over the union of the periods, grouped by
handling institution, cause and business line, on the ``cmp_handling_recv`` index)
plus the area's institutions; the grouped rows are summed into the board's rows in
Python, as the board does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Q

from complaints.models import localized_name
from complaints.rules import complaints_visible_to
from complaints.selectors import day_bounds
from institutions.models import Institution, User

from .board import _top_of, area_institutions, area_q, board_root_of, row_map
from .statistics import _month_end, previous_period, quarter_bounds


@dataclass(frozen=True)
class HotspotThreshold:
    min_count: int
    min_rise_percent: int

    def rose(self, current: int, base: int) -> bool:
        """``current`` rose by at least ``min_rise_percent`` % over ``base`` (a base of
        zero: any positive count is a rise). Integer arithmetic, no rounding."""
        return current > base and current * 100 >= base * (100 + self.min_rise_percent)

    def flags(self, current: int, previous: int, last_year: int) -> bool:
        return (
            current >= self.min_count
            and self.rose(current, previous)
            and self.rose(current, last_year)
        )


def default_threshold() -> HotspotThreshold:
    """The threshold from the settings (``HOTSPOT_MIN_COUNT``,
    ``HOTSPOT_MIN_RISE_PERCENT``, read from the environment)."""
    return HotspotThreshold(
        min_count=settings.HOTSPOT_MIN_COUNT,
        min_rise_percent=settings.HOTSPOT_MIN_RISE_PERCENT,
    )


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        """``2026Q2`` for a calendar quarter, ``2026-05`` for a month, else
        ``2026-04-01~2026-05-15``: the ``period`` of a rectification opened here."""
        if quarter_bounds(self.start) == (self.start, self.end):
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.start.day == 1 and self.end == _month_end(self.start):
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d}~{self.end:%Y-%m-%d}"

    def q(self) -> Q:
        lower, _ = day_bounds(self.start)
        _, upper = day_bounds(self.end)
        return Q(received_at__gte=lower, received_at__lt=upper)


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def same_period_last_year(start: date, end: date) -> tuple[date, date]:
    """The same dates a year earlier (29 February becomes the 28th)."""
    return _year_earlier(start), _year_earlier(end)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _rise(current: int, base: int) -> float | None:
    """The rise as a fraction of ``base``; None when there is no base (new)."""
    return (current - base) / base if base else None


@dataclass(frozen=True)
class Hotspot:
    institution: Institution
    #: Cases handled at ``institution`` itself, not its subtree (the list's ``own=1``).
    own_level: bool
    cause_id: int
    cause_code: str
    cause_label: str
    business_id: int
    business_code: str
    business_label: str
    current: int
    previous: int
    last_year: int
    #: The institution's complaints of any cause in each period (the share's whole).
    current_total: int
    previous_total: int
    last_year_total: int

    @property
    def current_share(self) -> float | None:
        return _share(self.current, self.current_total)

    @property
    def previous_share(self) -> float | None:
        return _share(self.previous, self.previous_total)

    @property
    def last_year_share(self) -> float | None:
        return _share(self.last_year, self.last_year_total)

    @property
    def rise_vs_previous(self) -> float | None:
        return _rise(self.current, self.previous)

    @property
    def rise_vs_last_year(self) -> float | None:
        return _rise(self.current, self.last_year)


@dataclass(frozen=True)
class Hotspots:
    root: Institution
    current: Period
    previous: Period
    last_year: Period
    threshold: HotspotThreshold
    cells: list[Hotspot]


def complaint_hotspots(
    user: User,
    *,
    start: date,
    end: date,
    root: Institution | None = None,
    threshold: HotspotThreshold | None = None,
) -> Hotspots:
    """The hot spots of ``start``–``end`` in ``root``'s area (default: the user's
    institution) as seen by ``user``, most complaints first. The caller fetched
    ``root`` through the access policy; counts are limited to what the user can see
    in any case."""
    threshold = threshold or default_threshold()
    root = board_root_of(user, root)
    current = Period(start, end)
    previous = Period(*previous_period(start, end))
    last_year = Period(*same_period_last_year(start, end))
    insts = area_institutions(user, root)
    by_pk = {i.pk: i for i in insts}
    rows = _top_of(insts, root)
    row_of_inst = row_map(insts, rows)
    grouped = (
        complaints_visible_to(user)
        .filter(area_q(root))
        .filter(current.q() | previous.q() | last_year.q())
        .values(
            "handling_institution",
            "cause",
            "cause__code",
            "cause__name",
            "cause__name_en",
            "business",
            "business__code",
            "business__name",
            "business__name_en",
        )
        .annotate(
            cur=Count("pk", filter=current.q()),
            prev=Count("pk", filter=previous.q()),
            ly=Count("pk", filter=last_year.q()),
        )
        .order_by()
    )
    totals: dict[int, list[int]] = {}
    cells: dict[tuple[int, int, int], dict] = {}
    for g in grouped:
        inst_pk = g["handling_institution"]
        row_pk = row_of_inst.get(inst_pk)
        if row_pk is None:
            # Handled at the root itself: the bank's own level; an office's own
            # intake is nobody's hot spot.
            if inst_pk != root.pk or root.is_regulator:
                continue
            row_pk = root.pk
        total = totals.setdefault(row_pk, [0, 0, 0])
        total[0] += g["cur"]
        total[1] += g["prev"]
        total[2] += g["ly"]
        if g["cause"] is None or g["business"] is None:
            continue
        key = (row_pk, g["cause"], g["business"])
        cell = cells.setdefault(key, {**g, "cur": 0, "prev": 0, "ly": 0})
        cell["cur"] += g["cur"]
        cell["prev"] += g["prev"]
        cell["ly"] += g["ly"]
    found = [
        Hotspot(
            institution=root if row_pk == root.pk else by_pk[row_pk],
            own_level=row_pk == root.pk,
            cause_id=cause,
            cause_code=c["cause__code"],
            cause_label=localized_name(c["cause__name"], c["cause__name_en"] or ""),
            business_id=business,
            business_code=c["business__code"],
            business_label=localized_name(c["business__name"], c["business__name_en"] or ""),
            current=c["cur"],
            previous=c["prev"],
            last_year=c["ly"],
            current_total=totals[row_pk][0],
            previous_total=totals[row_pk][1],
            last_year_total=totals[row_pk][2],
        )
        for (row_pk, cause, business), c in cells.items()
        if threshold.flags(c["cur"], c["prev"], c["ly"])
    ]
    found.sort(key=lambda h: (-h.current, h.institution.path, h.cause_code, h.business_code))
    return Hotspots(
        root=root,
        current=current,
        previous=previous,
        last_year=last_year,
        threshold=threshold,
        cells=found,
    )
