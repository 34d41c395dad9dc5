"""Complaint statistics for a period and an institution subtree (统计分析), the figures
the quarterly report and the appraisal use.

Population: the complaints the user can see, *received* in the period
(``start`` 00:00 to ``end`` 24:00, local time), whose handling institution lies in
``root``'s area (an office's jurisdiction or a bank's subtree). Every figure is about
that one cohort, so a period's numbers add up and drill down to the complaint list
(``?institution=&date_from=&date_to=``). Facts only: on time means
``answered_at <= due_at``, and an open case past its due time counts as late at the
moment of computing; the same two questions are asked of the statutory limit
(``statutory_due_at``); a paused case (中止计时) is neither late nor on time yet. See
docs/supervision.md and docs/complaints.md for the definitions.

Three queries per period (one aggregate, one group-by for each of business line and
cause), whatever the number of complaints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from complaints.enums import (
    OPEN_STATES,
    ComplaintKind,
    ComplaintStatus,
    Complexity,
    IntakeSource,
    Satisfaction,
    SatisfactionSource,
)
from complaints.models import localized_name
from complaints.rules import complaints_visible_to
from complaints.selectors import (
    answered_late_q,
    day_bounds,
    overdue_q,
    past_due_q,
    paused_q,
    statutory_answered_late_q,
    statutory_on_time_q,
    statutory_overdue_q,
)
from institutions.models import Institution, User

from .board import area_q, board_root


@dataclass(frozen=True)
class Bucket:
    """One bar of a breakdown: ``key`` is the choice value or the taxonomy code id
    (``""`` for unclassified)."""

    key: str
    label: str | Promise
    count: int


@dataclass(frozen=True)
class Statistics:
    start: date
    end: date
    root: Institution | None
    received: int
    by_kind: list[Bucket]
    by_source: list[Bucket]
    by_business: list[Bucket]
    by_cause: list[Bucket]
    by_complexity: list[Bucket]
    #: answered_at set (已反馈 or 已归档; a reopened case is not answered).
    answered: int
    #: answered with answered_at <= due_at.
    on_time: int
    #: answered with answered_at > due_at.
    answered_late: int
    #: still open and past due_at now.
    open_overdue: int
    #: still open and not yet due: not counted in the on-time rate.
    pending: int
    satisfied: int
    basically_satisfied: int
    unsatisfied: int
    repeat: int
    major: int
    money_recovered: Decimal
    refused: int
    transferred: int
    #: The ratings of answered complaints by who gave them: the consumer on the portal
    #: or staff recording it by phone (key ``<source>:<satisfaction>``).
    by_rating: list[Bucket] = field(default_factory=list)
    #: The statutory clock (complaints.clock), the same cohort: answered within
    #: ``statutory_due_at``, answered after it, open (not paused) and past it now.
    statutory_on_time: int = 0
    statutory_answered_late: int = 0
    statutory_open_overdue: int = 0
    #: Open with the clocks paused (中止计时): neither on time nor late yet.
    paused: int = 0
    #: Ended by the consumer's withdrawal (撤诉) / merged into another complaint.
    withdrawn: int = 0
    merged: int = 0

    @property
    def statutory_late(self) -> int:
        return self.statutory_answered_late + self.statutory_open_overdue

    @property
    def statutory_on_time_rate(self) -> float | None:
        """法定时限内办结率 = within the statutory limit / (within + late)."""
        return _rate(self.statutory_on_time, self.statutory_on_time + self.statutory_late)

    @property
    def late(self) -> int:
        return self.answered_late + self.open_overdue

    @property
    def on_time_rate(self) -> float | None:
        """按时办结率 = on time / (on time + late); None without a decided case."""
        return _rate(self.on_time, self.on_time + self.late)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率 = (满意 + 基本满意) / answered."""
        return _rate(self.satisfied + self.basically_satisfied, self.answered)

    @property
    def repeat_rate(self) -> float | None:
        """重复投诉率 = repeat / received."""
        return _rate(self.repeat, self.received)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- Periods ---------------------------------------------------------------------------


def quarter_bounds(day: date) -> tuple[date, date]:
    """The calendar quarter containing ``day``: first and last day."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = (
        date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    )
    return start, next_start - timedelta(days=1)


def _month_end(day: date) -> date:
    nxt = date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
    return nxt - timedelta(days=1)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period just before ``start``–``end`` with the same length: the previous
    calendar quarter or month when the period is exactly one (a quarter is compared
    with the quarter before, whatever the number of days), otherwise as many days
    immediately before."""
    if start.day == 1 and end == _month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months in (1, 3) and (months == 1 or quarter_bounds(start) == (start, end)):
            prev_end = start - timedelta(days=1)
            month = prev_end.month - months + 1
            year = prev_end.year
            if month < 1:
                month, year = month + 12, year - 1
            return date(year, month, 1), prev_end
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


# --- The figures -----------------------------------------------------------------------


def period_complaints(user: User, *, start: date, end: date, root: Institution | None = None):
    """The cohort: visible, received within the period, handled in ``root``'s area."""
    lower, _ = day_bounds(start)
    _, upper = day_bounds(end)
    return (
        complaints_visible_to(user)
        .filter(area_q(board_root(user, root)))
        .filter(received_at__gte=lower, received_at__lt=upper)
    )


def _choice_counts(field: str, choices) -> dict[str, Count]:
    return {
        f"{field}__{value}": Count("pk", filter=Q(**{field: value})) for value in choices.values
    }


def _buckets(row: dict, field: str, choices) -> list[Bucket]:
    return [Bucket(v, label, row[f"{field}__{v}"]) for v, label in choices.choices]


def _rating_counts() -> dict[str, Count]:
    answered = Q(answered_at__isnull=False)
    return {
        f"rating__{source}__{value}": Count(
            "pk", filter=answered & Q(satisfaction_source=source, satisfaction=value)
        )
        for source in SatisfactionSource.values
        for value in Satisfaction.values
    }


def _rating_buckets(row: dict) -> list[Bucket]:
    return [
        Bucket(
            f"{source}:{value}",
            _("%(source)s·%(rating)s") % {"source": source_label, "rating": label},
            row[f"rating__{source}__{value}"],
        )
        for source, source_label in SatisfactionSource.choices
        for value, label in Satisfaction.choices
    ]


def _taxonomy_buckets(qs, field: str) -> list[Bucket]:
    rows = (
        qs.values(f"{field}_id", f"{field}__code", f"{field}__name", f"{field}__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", f"{field}__code")
    )
    return [
        Bucket(
            str(r[f"{field}_id"] or ""),
            localized_name(r[f"{field}__name"] or "", r[f"{field}__name_en"] or "") or _("未分类"),
            r["n"],
        )
        for r in rows
    ]


def complaint_statistics(
    user: User,
    *,
    start: date,
    end: date,
    root: Institution | None = None,
    now: datetime | None = None,
) -> Statistics:
    """The figures of one period (``start`` and ``end`` inclusive) for ``root``'s area
    (default: the user's institution), as seen by ``user``. ``now`` decides which open
    cases are already late (default: the current time)."""
    now = now or timezone.now()
    qs = period_complaints(user, start=start, end=end, root=root)
    answered = Q(answered_at__isnull=False)
    is_open = Q(status__in=OPEN_STATES)
    row = qs.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=answered),
        on_time=Count(
            "pk", filter=answered & Q(due_at__isnull=False, answered_at__lte=F("due_at"))
        ),
        answered_late=Count("pk", filter=answered_late_q()),
        open_overdue=Count("pk", filter=overdue_q(now)),
        # Open and not past due (no due time yet counts as pending).
        pending=Count("pk", filter=is_open & ~past_due_q(now)),
        satisfied=Count("pk", filter=answered & Q(satisfaction=Satisfaction.SATISFIED)),
        basically_satisfied=Count("pk", filter=answered & Q(satisfaction=Satisfaction.BASIC)),
        unsatisfied=Count("pk", filter=answered & Q(satisfaction=Satisfaction.UNSATISFIED)),
        repeat=Count("pk", filter=Q(is_repeat=True)),
        major=Count("pk", filter=Q(is_major=True)),
        refused=Count("pk", filter=Q(status=ComplaintStatus.REFUSED)),
        transferred=Count("pk", filter=Q(status=ComplaintStatus.TRANSFERRED)),
        statutory_on_time=Count("pk", filter=statutory_on_time_q()),
        statutory_answered_late=Count("pk", filter=statutory_answered_late_q()),
        statutory_open_overdue=Count("pk", filter=statutory_overdue_q(now)),
        paused=Count("pk", filter=paused_q()),
        withdrawn=Count("pk", filter=Q(status=ComplaintStatus.WITHDRAWN)),
        merged=Count("pk", filter=Q(status=ComplaintStatus.MERGED)),
        money_recovered=Coalesce(
            Sum("money_recovered"),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        ),
        **_choice_counts("kind", ComplaintKind),
        **_choice_counts("intake_source", IntakeSource),
        **_choice_counts("complexity", Complexity),
        **_rating_counts(),
    )
    return Statistics(
        start=start,
        end=end,
        root=board_root(user, root),
        received=row["received"],
        by_kind=_buckets(row, "kind", ComplaintKind),
        by_source=_buckets(row, "intake_source", IntakeSource),
        by_business=_taxonomy_buckets(qs, "business"),
        by_cause=_taxonomy_buckets(qs, "cause"),
        by_complexity=_buckets(row, "complexity", Complexity),
        answered=row["answered"],
        on_time=row["on_time"],
        answered_late=row["answered_late"],
        open_overdue=row["open_overdue"],
        pending=row["pending"],
        satisfied=row["satisfied"],
        basically_satisfied=row["basically_satisfied"],
        unsatisfied=row["unsatisfied"],
        repeat=row["repeat"],
        major=row["major"],
        money_recovered=Decimal(row["money_recovered"]).quantize(Decimal("0.01")),
        refused=row["refused"],
        transferred=row["transferred"],
        by_rating=_rating_buckets(row),
        statutory_on_time=row["statutory_on_time"],
        statutory_answered_late=row["statutory_answered_late"],
        statutory_open_overdue=row["statutory_open_overdue"],
        paused=row["paused"],
        withdrawn=row["withdrawn"],
        merged=row["merged"],
    )


# --- Comparison with the previous period -----------------------------------------------


@dataclass(frozen=True)
class ComparedFigure:
    key: str
    label: str | Promise
    current: int | float | Decimal | None
    previous: int | float | Decimal | None
    #: "count", "rate" (a fraction 0–1) or "money".
    unit: str = "count"

    @property
    def change(self) -> int | float | Decimal | None:
        """Current minus previous (for rates: in fractions, shown as percentage points)."""
        if self.current is None or self.previous is None:
            return None
        if isinstance(self.current, Decimal) or isinstance(self.previous, Decimal):
            # Money: both sides are Decimal (the rows' sums); keep exact arithmetic.
            return Decimal(self.current) - Decimal(self.previous)
        return self.current - self.previous


@dataclass(frozen=True)
class ComparedBucket:
    key: str
    label: str | Promise
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class StatisticsComparison:
    current: Statistics
    previous: Statistics

    @property
    def figures(self) -> list[ComparedFigure]:
        c, p = self.current, self.previous
        rows = [
            ("received", _("受理总量"), "count"),
            ("answered", _("已反馈"), "count"),
            ("on_time", _("按时反馈"), "count"),
            ("late", _("超时（含逾期未办结）"), "count"),
            ("on_time_rate", _("按时办结率"), "rate"),
            ("statutory_on_time", _("法定时限内答复"), "count"),
            ("statutory_late", _("超过法定时限（含未办结）"), "count"),
            ("statutory_on_time_rate", _("法定时限内办结率"), "rate"),
            ("paused", _("中止计时中"), "count"),
            ("satisfaction_rate", _("满意率（满意+基本满意）"), "rate"),
            ("repeat", _("重复投诉"), "count"),
            ("repeat_rate", _("重复投诉率"), "rate"),
            ("major", _("重大投诉"), "count"),
            ("money_recovered", _("挽回经济损失（元）"), "money"),
            ("refused", _("不予受理"), "count"),
            ("transferred", _("移送"), "count"),
            ("withdrawn", _("撤诉"), "count"),
            ("merged", _("合并"), "count"),
        ]
        return [
            ComparedFigure(key, label, getattr(c, key), getattr(p, key), unit)
            for key, label, unit in rows
        ]

    def breakdown(self, name: str) -> list[ComparedBucket]:
        """``name`` is one of by_kind, by_source, by_business, by_cause,
        by_complexity, by_rating: the current buckets in order, then any bucket only the
        previous period had."""
        prev = {b.key: b for b in getattr(self.previous, name)}
        rows = [
            ComparedBucket(b.key, b.label, b.count, prev.pop(b.key).count if b.key in prev else 0)
            for b in getattr(self.current, name)
        ]
        rows += [ComparedBucket(b.key, b.label, 0, b.count) for b in prev.values()]
        return rows


def statistics_compared(
    user: User,
    *,
    start: date,
    end: date,
    root: Institution | None = None,
    now: datetime | None = None,
) -> StatisticsComparison:
    """The period's figures beside those of ``previous_period(start, end)``."""
    prev_start, prev_end = previous_period(start, end)
    return StatisticsComparison(
        current=complaint_statistics(user, start=start, end=end, root=root, now=now),
        previous=complaint_statistics(user, start=prev_start, end=prev_end, root=root, now=now),
    )
