"""Reads of the mediation desk. Every list starts from ``rules.mediation_q``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from institutions import tree

from . import rules as access
from .enums import JudicialDecision
from .enums import MediationStatus as M
from .models import MediationCase

if TYPE_CHECKING:
    from collections.abc import Sequence

    from institutions.models import Institution, User


def mediation_cases(
    user: User, *, status: str = "", root: Institution | None = None
) -> QuerySet[MediationCase]:
    """The cases ``user`` may see, newest first, optionally of one status or of the
    subtree of ``root`` (an institution the caller fetched through the policy)."""
    qs = access.mediation_list_for_user(user).select_related("institution", "complaint", "mediator")
    if status in M.values:
        qs = qs.filter(status=status)
    if root is not None:
        qs = qs.filter(tree.subtree_q(root, "institution"))
    return qs.order_by("-opened_at", "-pk")


def mediations_of_complaint(user: User, complaint_id: int) -> QuerySet[MediationCase]:
    return access.mediation_list_for_user(user).filter(complaint_id=complaint_id).order_by("pk")


@dataclass(frozen=True)
class MediationCounts:
    """The appraisal's dispute-resolution figures for some institutions and a period.

    * ``opened``: cases opened (受理) in the period;
    * ``agreements``: agreements that took effect in the period;
    * ``performed``: agreements performed in full in the period;
    * ``failed``: mediations that ended failed (调解不成) in the period;
    * ``declined``: applications that ended because a party refused (not counted as
      failed: no mediation took place).
    """

    opened: int
    agreements: int
    performed: int
    failed: int
    declined: int

    @property
    def success_rate(self) -> float | None:
        """Agreements over mediations that ended in the period (agreed or failed)."""
        ended = self.agreements + self.failed
        return None if ended == 0 else self.agreements / ended


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def _count_filters(start: date, end: date) -> dict[str, Count]:
    """The ``MediationCounts`` figures as aggregates, shared by the appraisal's
    figures and the quarterly pack's breakdown so the two cannot disagree."""
    lo, hi = _bounds(start, end)
    return {
        "opened": Count("pk", filter=Q(opened_at__gte=lo, opened_at__lt=hi)),
        "agreements": Count(
            "pk", filter=Q(agreement__effective_on__gte=start, agreement__effective_on__lte=end)
        ),
        "performed": Count("pk", filter=Q(performed_at__gte=lo, performed_at__lt=hi)),
        "failed": Count("pk", filter=Q(status=M.FAILED, closed_at__gte=lo, closed_at__lt=hi)),
        "declined": Count("pk", filter=Q(status=M.DECLINED, closed_at__gte=lo, closed_at__lt=hi)),
    }


def mediation_figures(
    *, institutions: Sequence[Institution], starts_on: date, ends_on: date
) -> dict[int, MediationCounts]:
    """``MediationCounts`` of each appraised subtree in the period (the subtrees must
    not overlap), in one grouped query: a case belongs to the appraised institution
    whose subtree holds the case's institution (the party complained about). No user
    scoping: the appraisal calls it for institutions it has already scoped."""
    roots = list(institutions)
    if not roots:
        return {}
    rows = (
        MediationCase.objects.filter(tree.under_any_q(roots, "institution"))
        .order_by()
        .values_list(tree.which_subtree(roots, "institution"))
        .annotate(**_count_filters(starts_on, ends_on))
    )
    empty = MediationCounts(opened=0, agreements=0, performed=0, failed=0, declined=0)
    # (group, opened, agreements, performed, failed, declined): the annotations' order.
    found = {row[0]: MediationCounts(*row[1:]) for row in rows if row[0] is not None}
    return {root.pk: found.get(root.pk, empty) for root in roots}


def mediation_breakdown(user: User, *, start: date, end: date) -> list[dict]:
    """The ``MediationCounts`` figures of the cases ``user`` may see, grouped by
    institution and procedure, plus ``judicial``: agreements the court confirmed
    (确认有效) with the decision dated in the period. One grouped query; rows with
    nothing in the period are left out. The caller narrows to an area with the
    institution ids (the quarterly pack sums them into its rows)."""
    rows = (
        access.mediation_list_for_user(user)
        .values("institution_id", "procedure")
        .annotate(
            **_count_filters(start, end),
            judicial=Count(
                "pk",
                filter=Q(
                    judicial_decision=JudicialDecision.CONFIRMED,
                    judicial_decided_on__gte=start,
                    judicial_decided_on__lte=end,
                ),
            ),
        )
        .order_by()
    )
    keys = ("opened", "agreements", "performed", "failed", "declined", "judicial")
    return [r for r in rows if any(r[k] for k in keys)]


@dataclass(frozen=True)
class ComplaintMediation:
    cases: list[MediationCase]
    can_open: bool

    @property
    def shown(self) -> bool:
        return bool(self.cases or self.can_open)


def complaint_mediation(user: User, complaint) -> ComplaintMediation:
    """For the complaint page: at most one query, none for staff who see no
    mediation (tellers and handlers)."""
    from .services import NOT_MEDIATED

    if not access.can_view_mediation(user):
        return ComplaintMediation([], False)
    cases = list(mediations_of_complaint(user, complaint.pk))
    can_open = bool(
        complaint.status not in NOT_MEDIATED
        and complaint.mediation_since is None
        and access.can_open_mediation(user, complaint)
    )
    return ComplaintMediation(cases, can_open)
