"""The supervision board (督查看板) and the lists behind it.

Every number on the board is ``COUNT(*) FILTER (WHERE <metric>)`` over the complaints
the viewer can see whose *handling* institution lies in the board's area, grouped by
the row the handling institution falls under; the drill-down list applies the very
same metric ``Q`` to the same base queryset, so a number and its list cannot
disagree.

Every number but one counts open complaints; "不满意待跟进" counts answered ones. So
the aggregate runs once per population (``Metric.population``), grouped by the
handling institution, each an index-only scan of a partial index (the open rows,
about 5% of the table; the unsatisfied answers, far fewer), and the institutions are
summed into the board's rows in Python from their materialised paths. Grouping by a
``CASE path LIKE …`` per row over the whole area instead took 1.5–2.6 s at a million
complaints (docs/performance.md). The whole board is four queries whatever the
number of institutions and complaints (the institutions of the area, two aggregates,
and the root when it is not the user's own).

Rows: the institutions directly below the root, each with its subtree aggregated.
For a supervising office the root is the office, and its rows are the highest
institutions of its jurisdiction (each bank in the county); for a bank it is its
children (a branch's outlets). Complaints handled at the root itself (the office's
own intake not yet dispatched, a case escalated to the branch) form the "本级" row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from complaints.enums import OPEN_STATES, ComplaintStatus, Satisfaction
from complaints.enums import TimelineAction as A
from complaints.models import Complaint, TimelineEntry, Urge
from complaints.rules import complaints_visible_to
from complaints.selectors import ComplaintFilters, complaint_list_for_user, past_due_q
from institutions import tree
from institutions.access import home_institution, institutions_visible_to
from institutions.enums import InstitutionKind
from institutions.models import Institution, User


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Local midnight to the next local midnight, as aware datetimes."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)


def _open() -> Q:
    return Q(status__in=OPEN_STATES)


def _due_today(now: datetime) -> Q:
    start, end = day_bounds(timezone.localtime(now).date())
    return Q(due_at__gte=start, due_at__lt=end)


def _urges_overdue(now: datetime) -> Q:
    # One hashed set of the late urges' complaints, not a probe per complaint.
    today = timezone.localtime(now).date()
    late = Urge.objects.filter(expected_by__lt=today).values("complaint_id")
    return Q(pk__in=late)


def _unsatisfied() -> Q:
    return Q(status=ComplaintStatus.ANSWERED, satisfaction=Satisfaction.UNSATISFIED)


def _every(now: datetime) -> Q:
    return Q()


#: The complaints a metric counts among, each served by a partial index.
POPULATIONS: dict[str, Callable[[], Q]] = {"open": _open, "unsatisfied": _unsatisfied}


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    help: str | Promise
    #: What the metric tests among its population (``POPULATIONS[population]``).
    #: The aggregate puts the population in its WHERE and counts only this, so no
    #: row is tested twice for its status: repeating the status test in every
    #: ``FILTER`` took a third of the board's time at 50,000 open complaints.
    condition: Callable[[datetime], Q]
    population: str = "open"

    def q(self, now: datetime) -> Q:
        """The whole metric: its population and its condition (the drill-down)."""
        return POPULATIONS[self.population]() & self.condition(now)


#: The board's columns, in order. The aggregate counts ``condition(now)`` among the
#: population; the drill-down list filters on ``q(now)``, the two together.
METRICS: tuple[Metric, ...] = (
    Metric("open", _("未办结"), _("已登记、已分办、处理中、已办结待反馈"), _every),
    Metric("due_today", _("今日到期"), _("未办结且答复期限在今天"), _due_today),
    Metric("overdue", _("已逾期"), _("未办结且已过答复期限"), past_due_q),
    Metric("major", _("重大投诉"), _("未办结的重大投诉"), lambda now: Q(is_major=True)),
    Metric("repeat", _("重复投诉"), _("未办结的重复投诉"), lambda now: Q(is_repeat=True)),
    Metric(
        "unsatisfied",
        _("不满意待跟进"),
        _("已反馈、客户不满意、尚未重新处理或归档"),
        _every,
        population="unsatisfied",
    ),
    Metric(
        "supervised",
        _("督查名单"),
        _("逾期升级列入督查名单且仍未办结"),
        lambda now: Q(auto_escalated_at__isnull=False),
    ),
    Metric("urges_overdue", _("督办逾期"), _("督办要求日期已过仍未办结"), _urges_overdue),
    # The clock (complaints.clock): paused cases are not overdue on either clock.
    Metric(
        "paused",
        _("中止计时"),
        _("因鉴定、检测、评估或等待消费者补充材料而中止计时"),
        lambda now: Q(paused_at__isnull=False),
    ),
    Metric(
        "statutory_overdue",
        _("超过法定时限"),
        _("未办结、未中止计时且已过法定办理期限"),
        lambda now: Q(paused_at__isnull=True, statutory_due_at__lt=now),
    ),
)
METRIC_KEYS = tuple(m.key for m in METRICS)
_BY_KEY = {m.key: m for m in METRICS}


def metric(key: str) -> Metric:
    """The metric named ``key``; KeyError for an unknown one."""
    return _BY_KEY[key]


# --- Area and rows ---------------------------------------------------------------------


def area_q(root: Institution | None, field: str = "handling_institution") -> Q:
    """Rows whose institution (through ``field``) lies in ``root``'s area: an office's
    jurisdiction, or a bank's subtree. ``None`` adds no condition."""
    return tree.area_q(root, field)


def board_root(user: User, root: Institution | None = None) -> Institution | None:
    """The institution a board, list or statistic is about: the one asked for, or the
    viewer's own (an office's jurisdiction, a manager's subtree)."""
    return root if root is not None else user.institution


def board_root_of(user: User, root: Institution | None = None) -> Institution:
    """``board_root`` for the views that draw rows: they need an institution to draw
    from, so a user without one is refused (the board's permission already asks for
    one)."""
    return root if root is not None else home_institution(user)


def area_institutions(user: User, root: Institution) -> list[Institution]:
    """The institutions of ``root``'s area that the user can see, in tree order."""
    return list(
        institutions_visible_to(user)
        .filter(area_q(root, ""))
        .only(
            "pk",
            "code",
            "name",
            "short_name",
            "kind",
            "path",
            "depth",
            "parent_id",
            "regulator_id",
            "is_active",
        )
        .order_by("path")
    )


def _top_of(insts: list[Institution], root: Institution) -> list[Institution]:
    pks = {i.pk for i in insts}
    return [
        i for i in insts if i.pk != root.pk and (i.parent_id == root.pk or i.parent_id not in pks)
    ]


def board_rows(user: User, root: Institution) -> list[Institution]:
    """The institutions directly below ``root`` that the user can see, in tree order:
    for an office, the highest institutions of its jurisdiction; else the children."""
    return _top_of(area_institutions(user, root), root)


def row_map(insts: list[Institution], rows: list[Institution]) -> dict[int, int]:
    """Institution pk → the pk of the board row whose subtree holds it. The path lists
    every ancestor's pk, so the row is the first of them that is a row."""
    row_pks = [r.pk for r in rows]
    found = {inst.pk: tree.nearest_of(inst, row_pks) for inst in insts}
    return {pk: row for pk, row in found.items() if row is not None}


def row_of(rows: list[Institution], root: Institution, field: str = "handling_institution"):
    """An SQL expression giving the board row (an institution id) of each row's
    institution through ``field``: the row whose subtree contains it, else the root."""
    return tree.which_subtree(rows, field, default=root.pk)


# --- The board -------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardCounts:
    open: int = 0
    due_today: int = 0
    overdue: int = 0
    major: int = 0
    repeat: int = 0
    unsatisfied: int = 0
    supervised: int = 0
    urges_overdue: int = 0
    paused: int = 0
    statutory_overdue: int = 0

    @property
    def cells(self) -> list[tuple[Metric, int]]:
        return [(m, getattr(self, m.key)) for m in METRICS]

    def __add__(self, other: BoardCounts) -> BoardCounts:
        return BoardCounts(**{k: getattr(self, k) + getattr(other, k) for k in METRIC_KEYS})


@dataclass(frozen=True)
class BoardRow:
    institution: Institution
    counts: BoardCounts
    #: True for the root's own row (cases handled at the root itself).
    own_level: bool = False


@dataclass(frozen=True)
class Board:
    root: Institution
    rows: list[BoardRow]
    total: BoardCounts
    as_of: datetime
    metrics: tuple[Metric, ...] = field(default=METRICS)


def supervision_board(
    user: User, *, root: Institution | None = None, now: datetime | None = None
) -> Board:
    """The board for ``user`` over ``root`` (default: the user's institution). The
    caller checks that the user may see ``root`` (``institution_get_for_user``);
    counts are limited to the complaints the user can see in any case."""
    now = now or timezone.now()
    root = board_root_of(user, root)
    insts = area_institutions(user, root)
    rows = _top_of(insts, root)
    row_of_inst = row_map(insts, rows)
    in_area = Institution.objects.filter(area_q(root, "")).values("pk")
    base = complaints_visible_to(user).filter(handling_institution__in=in_area)
    by_row: dict[int, dict[str, int]] = {}
    for population, population_q in POPULATIONS.items():
        metrics = [m for m in METRICS if m.population == population]
        data = (
            base.filter(population_q())
            .values("handling_institution")
            # Counting the (never null) grouping column rather than the id: the
            # unsatisfied answers' partial index carries that column but not the id,
            # and counting the id would read every one of those rows from the table.
            # (Django allows no FILTER on COUNT(*).)
            .annotate(
                **{
                    m.key: Count("handling_institution", filter=m.condition(now) or None)
                    for m in metrics
                }
            )
            .order_by()
        )
        for d in data:
            # An institution outside the rows' subtrees (the root itself) is "本级".
            sums = by_row.setdefault(row_of_inst.get(d.pop("handling_institution"), root.pk), {})
            for key, n in d.items():
                sums[key] = sums.get(key, 0) + n
    board_rows_ = [BoardRow(root, BoardCounts(**by_row.get(root.pk, {})), own_level=True)]
    board_rows_ += [BoardRow(r, BoardCounts(**by_row.get(r.pk, {}))) for r in rows]
    total = sum((r.counts for r in board_rows_), BoardCounts())
    return Board(root=root, rows=board_rows_, total=total, as_of=now)


def board_complaints(
    user: User,
    *,
    metric_key: str,
    root: Institution | None = None,
    institution: Institution | None = None,
    own_level: bool = False,
    now: datetime | None = None,
) -> QuerySet[Complaint]:
    """The complaints behind one board number: the same base and the same metric
    ``Q`` as the aggregate, limited to ``institution``'s subtree (or, with
    ``own_level``, to cases handled at ``institution`` itself). Sorted by due time.
    Raises KeyError for an unknown metric."""
    m = metric(metric_key)
    now = now or timezone.now()
    qs = complaint_list_for_user(user, ComplaintFilters(), sort="due").filter(
        area_q(board_root(user, root))
    )
    if institution is not None:
        qs = qs.filter(
            Q(handling_institution=institution)
            if own_level
            else tree.subtree_q(institution, "handling_institution")
        )
    return qs.filter(m.q(now))


# --- Major complaints and overdue urges ------------------------------------------------


def major_q() -> Q:
    """Flagged major, or escalated all the way to the top of its institution (the
    handling institution has no parent below the office).

    The top institutions are one small hashed set rather than a join to the parent
    institution: an OR across joined tables cannot use an index, and this shape lets
    the candidates come from ``cmp_major_candidates`` (major or escalated, 5% of the
    table) by an index-only scan (docs/performance.md)."""
    tops = Institution.objects.filter(
        Q(parent__isnull=True) | Q(parent__kind=InstitutionKind.REGULATOR)
    ).values("pk")
    return Q(is_major=True) | Q(escalation_level__gt=0, handling_institution__in=tops)


def major_complaints(
    user: User, *, root: Institution | None = None, open_only: bool = False
) -> QuerySet[Complaint]:
    """Major complaints in the area, newest first, each with ``reports``: its
    timeline rows "重大投诉报告监管" and "逐级上报" (who reported it upward and when),
    newest first, fetched in one extra query for the whole page."""
    qs = (
        complaint_list_for_user(user, ComplaintFilters(), sort="received")
        .filter(area_q(board_root(user, root)))
        .filter(major_q())
    )
    if open_only:
        qs = qs.filter(_open())
    reports = (
        TimelineEntry.objects.filter(action__in=(A.REPORT_MAJOR, A.ESCALATE))
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    return qs.prefetch_related(Prefetch("timeline", queryset=reports, to_attr="reports"))


def overdue_urges(
    user: User, *, root: Institution | None = None, today: date | None = None
) -> QuerySet[Urge]:
    """督办逾期: urges whose expected date has passed while the complaint is still
    open, earliest first. The complaints are the board's "督办逾期" (a complaint
    urged twice appears twice here and once on the board)."""
    today = today or timezone.localdate()
    visible = complaints_visible_to(user).filter(area_q(board_root(user, root)))
    return (
        Urge.objects.filter(
            expected_by__lt=today,
            complaint__status__in=OPEN_STATES,
            complaint__in=visible.values("pk"),
        )
        .select_related(
            "urged_by",
            "complaint",
            "complaint__handling_institution",
            "complaint__handler",
        )
        .defer(
            "complaint__description",
            "complaint__demand",
            "complaint__findings",
            "complaint__measures",
            "complaint__answer_note",
        )
        .order_by("expected_by", "pk")
    )
