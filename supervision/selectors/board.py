"""The supervision board (督查看板) and the lists behind it.

Every number on the board is one column of the tally (complaints.tally): the
complaints the viewer can see whose *handling* institution lies in the board's
area, counted by a Celery beat task once a minute rather than on each view, summed
into the row the handling institution falls under. The drill-down list applies the
very same definition (``Metric.q``, which is the tally's ``Counted.q``) to the
complaints, on the clock the tally was counted with (the link's ``as_of``), so a
number and its list are one definition at one instant; what differs is only what
was done to the complaints since (the drill-down says so, ``board_cell``).

The tally's rows are grouped by the three institutions ``complaint_q`` tests, so
the access policy's own filter scopes them as it scopes complaints, and the board
is one small ``SUM`` over a few thousand rows, whatever the number of complaints.
Counting the complaints on each view grew with the open ones (at a million
complaints 16–47 ms of database time; docs/performance.md).

Rows: the institutions directly below the root, each with its subtree aggregated.
For a supervising office the root is the office, and its rows are the highest
institutions of its jurisdiction (each bank in the county); for a bank it is its
children (a branch's outlets). Complaints handled at the root itself (the office's
own intake not yet dispatched, a case escalated to the branch) form the "本级" row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from complaints import tally
from complaints.enums import OPEN_STATES
from complaints.enums import TimelineAction as A
from complaints.models import Complaint, OpenTallyRun, TimelineEntry, Urge
from complaints.rules import complaints_visible_to
from complaints.selectors import ComplaintFilters, complaint_list_for_user
from institutions import tree
from institutions.access import home_institution, institutions_visible_to
from institutions.enums import InstitutionKind
from institutions.models import Institution, User


def _open() -> Q:
    return tally.POPULATIONS["open"]()


@dataclass(frozen=True)
class Metric:
    """A column of the board: a column of the tally (``complaints.tally.COUNTED``,
    which holds its definition) with its label."""

    key: str
    label: str | Promise
    help: str | Promise

    def q(self, now: datetime) -> Q:
        """The whole metric on the clock ``now``: its population and its condition
        (the drill-down's filter; the tally counted the same on its own clock)."""
        return tally.counted(self.key).q(now)


#: The board's columns, in order.
METRICS: tuple[Metric, ...] = (
    Metric("open", _("未办结"), _("已登记、已分办、处理中、已办结待反馈")),
    Metric("due_today", _("今日到期"), _("未办结且答复期限在今天")),
    Metric("overdue", _("已逾期"), _("未办结且已过答复期限")),
    Metric("major", _("重大投诉"), _("未办结的重大投诉")),
    Metric("repeat", _("重复投诉"), _("未办结的重复投诉")),
    Metric("unsatisfied", _("不满意待跟进"), _("已反馈、客户不满意、尚未重新处理或归档")),
    Metric("supervised", _("督查名单"), _("逾期升级列入督查名单且仍未办结")),
    Metric("urges_overdue", _("督办逾期"), _("督办要求日期已过仍未办结")),
    # The clock (complaints.clock): paused cases are not overdue on either clock.
    Metric("paused", _("中止计时"), _("因鉴定、检测、评估或等待消费者补充材料而中止计时")),
    Metric("statutory_overdue", _("超过法定时限"), _("未办结、未中止计时且已过法定办理期限")),
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
    #: When the tally these numbers come from was counted, and the clock its deadline
    #: counts were evaluated with; each number's link carries it (``as_of``).
    as_of: datetime
    metrics: tuple[Metric, ...] = field(default=METRICS)

    @property
    def as_of_param(self) -> str:
        """``as_of`` for a query string: ISO 8601 in UTC, to the microsecond, so the
        drill-down finds the very run (``tally_run_at``)."""
        return self.as_of.astimezone(UTC).isoformat()


def _tally_sums(user: User, run: OpenTallyRun, where: Q, by: str | None):
    """The tally's columns summed over the rows of ``run`` the user can see (the
    access policy's own ``complaint_q``, as for complaints) that match ``where``,
    grouped by ``by`` when given."""
    qs = complaints_visible_to(user, tally.tally_rows(run)).filter(where)
    sums = {m.key: Sum(m.key) for m in METRICS}
    if by is None:
        return qs.aggregate(**sums)
    return qs.values(by).annotate(**sums).order_by()


def supervision_board(
    user: User, *, root: Institution | None = None, now: datetime | None = None
) -> Board:
    """The board for ``user`` over ``root`` (default: the user's institution). The
    caller checks that the user may see ``root`` (``institution_get_for_user``);
    counts are limited to the complaints the user can see in any case.

    The numbers are the latest tally (complaints.tally), recounted first when it is
    missing or older than ``OPEN_TALLY_MAX_AGE_SECONDS``; ``as_of`` says when it was
    counted. Four queries whatever the number of institutions and complaints, with a
    fifth when the root is not the user's own: the institutions, the run, one sum."""
    run = tally.tally_current(now=now)
    root = board_root_of(user, root)
    insts = area_institutions(user, root)
    rows = _top_of(insts, root)
    row_of_inst = row_map(insts, rows)
    in_area = Institution.objects.filter(area_q(root, "")).values("pk")
    by_row: dict[int, dict[str, int]] = {}
    for d in _tally_sums(user, run, Q(handling_institution__in=in_area), "handling_institution"):
        # An institution outside the rows' subtrees (the root itself) is "本级".
        sums = by_row.setdefault(row_of_inst.get(d.pop("handling_institution"), root.pk), {})
        for key, n in d.items():
            sums[key] = sums.get(key, 0) + (n or 0)
    board_rows_ = [BoardRow(root, BoardCounts(**by_row.get(root.pk, {})), own_level=True)]
    board_rows_ += [BoardRow(r, BoardCounts(**by_row.get(r.pk, {}))) for r in rows]
    total = sum((r.counts for r in board_rows_), BoardCounts())
    return Board(root=root, rows=board_rows_, total=total, as_of=run.counted_at)


def _cell_q(
    user: User, root: Institution | None, institution: Institution | None, own_level: bool
) -> Q:
    """Which complaints (or tally rows) one board number is about, by their handling
    institution: the root's area, then the row's subtree or, for "本级", the row's
    institution itself."""
    q = area_q(board_root(user, root))
    if institution is not None:
        q &= (
            Q(handling_institution=institution)
            if own_level
            else tree.subtree_q(institution, "handling_institution")
        )
    return q


def board_cell(
    user: User,
    *,
    as_of: datetime,
    metric_key: str,
    root: Institution | None = None,
    institution: Institution | None = None,
    own_level: bool = False,
) -> int | None:
    """The number the board showed for one cell, from the run counted at ``as_of``
    (the drill-down names it beside its own count); None when that run is no longer
    kept. Raises KeyError for an unknown metric."""
    key = metric(metric_key).key
    run = tally.tally_run_at(as_of)
    if run is None:
        return None
    return _tally_sums(user, run, _cell_q(user, root, institution, own_level), None)[key] or 0


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
    qs = complaint_list_for_user(user, ComplaintFilters(), sort="due")
    return qs.filter(_cell_q(user, root, institution, own_level)).filter(m.q(now))


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
