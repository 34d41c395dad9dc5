"""Reads of supervisory measures and rectification items: the desk's lists, and the
figures the appraisal and the quarterly pack take from them. Every list starts from
``supervision.measures.rules``; ``rectification_figures`` is called by the appraisal
for institutions it has already scoped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from institutions import tree
from institutions.enums import InstitutionKind

from ..measures import rules as access
from ..measures.enums import AWAITING_ANSWER, RectificationStatus
from ..measures.models import Measure, RectificationItem

if TYPE_CHECKING:
    from institutions.models import Institution, User


def measure_list(
    user: User, *, kind: str = "", root: Institution | None = None
) -> QuerySet[Measure]:
    """The measures ``user`` may see, newest first; of one kind or of the area of
    ``root`` (an institution the caller fetched through the policy)."""
    qs = access.measure_list_for_user(user).select_related("institution", "recorded_by")
    if kind:
        qs = qs.filter(kind=kind)
    if root is not None:
        qs = qs.filter(tree.area_q(root, "institution"))
    return qs.annotate(item_count=Count("items", distinct=True)).order_by("-taken_on", "-pk")


def rectification_list(
    user: User,
    *,
    status: str = "",
    overdue: bool = False,
    root: Institution | None = None,
) -> QuerySet[RectificationItem]:
    """The items ``user`` may see, earliest deadline first; filtered by state, by
    "overdue" (owing an answer after the deadline) and by the area of ``root``."""
    qs = access.rectification_list_for_user(user).select_related("institution", "overseer")
    if status in RectificationStatus.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=AWAITING_ANSWER, due_on__lt=timezone.localdate())
    if root is not None:
        qs = qs.filter(tree.area_q(root, "institution"))
    return qs.order_by("due_on", "pk")


def _end_of(day: date) -> datetime:
    """The first instant after ``day`` (local time)."""
    return datetime.combine(
        day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )


def rectification_figures(
    *,
    institutions: Sequence[Institution],
    starts_on: date,
    ends_on: date,
    as_of: date,
) -> dict[int, tuple[int, int]]:
    """Rectification done on time, per institution subtree, for the appraisal.

    For each of ``institutions`` (roots of subtrees; a row counts for the first root
    whose subtree holds its institution), over the items **the supervising office
    ordered** (overseer is an office; a bank's own root-cause items do not count,
    so tracing its own complaints never lowers a bank's score):

    * ``due_in_period`` = items with ``starts_on ≤ due_on ≤ ends_on`` opened on or
      before ``as_of``;
    * ``done_on_time`` = those of them accepted on or before ``as_of`` whose accepted
      answer was given on or before ``due_on`` (local dates).

    The indicator is ``done_on_time / due_in_period`` (undefined for 0 items). One
    grouped query; an institution with no item is absent from the result (read it
    as ``(0, 0)``)."""
    roots = list(institutions)
    if not roots:
        return {}
    cutoff = _end_of(as_of)
    rows = (
        RectificationItem.objects.filter(
            tree.under_any_q(roots, "institution"),
            overseer__kind=InstitutionKind.REGULATOR,
            due_on__gte=starts_on,
            due_on__lte=ends_on,
            opened_at__lt=cutoff,
        )
        .annotate(root=tree.which_subtree(roots, "institution"))
        .order_by()  # no model ordering in the GROUP BY
        .values("root")
        .annotate(
            due=Count("pk"),
            done=Count(
                "pk",
                # ``__date`` reads the instant in the project's time zone.
                filter=Q(
                    status=RectificationStatus.ACCEPTED,
                    accepted_at__lt=cutoff,
                    answered_at__date__lte=F("due_on"),
                ),
            ),
        )
    )
    return {r["root"]: (r["due"], r["done"]) for r in rows}
