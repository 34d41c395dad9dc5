"""Reads: scoped lists, campaign summaries and the publicity totals other apps use.

Every row here starts from the access policy (``publicity.rules``);
every sum is computed by the database (``aggregate``/``annotate``), one grouped query
whatever the number of activities. Media reports are counted in a query of their own,
so that the report rows never multiply the activity figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    F,
    Q,
    QuerySet,
    Sum,
)

from institutions import tree
from institutions.access import institutions_visible_to
from institutions.models import Institution, User
from publicity.rules import (
    activity_get_for_user,
    activity_list_for_user,
    campaign_list_for_user,
)

from .enums import ActivityKind, SummaryGrouping
from .metrics import FIGURE_FIELDS, ActivityTotals
from .models import TARGET_FIELDS, Activity, Audience, Campaign, MediaReport, Topic

# --- Aggregation, shared by the summary and the totals ---------------------------------


def _aggregates() -> dict:
    """The annotations one set of activities adds up to (media reports excluded)."""
    return {
        "activities": Count("pk"),
        "outlets": Count("institution", distinct=True),
        "outdoor_events": Count("pk", filter=Q(kind=ActivityKind.OUTDOOR)),
        **{name: Sum(name) for name in FIGURE_FIELDS},
    }


def _totals(activities: QuerySet) -> ActivityTotals:
    """All the figures of ``activities`` in two queries."""
    row = activities.order_by().aggregate(**_aggregates())
    media = MediaReport.objects.filter(activity__in=activities.order_by().values("pk")).count()
    return ActivityTotals.from_row(row, media_reports=media)


def _subtree_key(prefix: str, roots: Sequence[Institution]) -> Case:
    """A SQL expression naming, for each row, which of ``roots`` its institution lies
    under (by materialised path). Higher roots are tried first."""
    ordered = sorted(roots, key=lambda inst: inst.depth)
    return tree.which_subtree(ordered, prefix.removesuffix("__"))


def _grouped_totals(
    activities: QuerySet, *, key: str | Case, media_key: str | Case
) -> dict[int, ActivityTotals]:
    """The figures of ``activities`` per group key (a field path from the activity
    and the same from a media report, or ``_subtree_key`` expressions), in two
    grouped queries."""
    activities = activities.order_by()
    group = F(key) if isinstance(key, str) else key
    media_group = F(media_key) if isinstance(media_key, str) else media_key
    rows = activities.values(group=group).annotate(**_aggregates())
    media = dict(
        MediaReport.objects.filter(activity__in=activities.values("pk"))
        .order_by()
        .values_list(media_group)
        .annotate(n=Count("pk"))
    )
    return {
        row["group"]: ActivityTotals.from_row(row, media_reports=media.get(row["group"], 0))
        for row in rows
        if row["group"] is not None
    }


# --- Lists -------------------------------------------------------------------------------


def campaign_list_with_counts(*, user: User) -> QuerySet[Campaign]:
    """Campaigns that reach ``user``, each with the number of activities the user can
    see (``visible_activities``) — one query for the page."""
    return (
        campaign_list_for_user(user)
        .select_related("organiser")
        .annotate(
            visible_activities=Count(
                "activities", filter=Q(activities__in=activity_list_for_user(user))
            )
        )
        .order_by("-starts_on", "-pk")
    )


def activity_list(*, user: User, campaign: Campaign | None = None) -> QuerySet[Activity]:
    """Visible activities for list pages: the institution and campaign joined, the
    topics prefetched and the photos and media reports counted in the same query."""
    qs = activity_list_for_user(user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return (
        qs.select_related("institution", "campaign")
        .prefetch_related("topics")
        .annotate(
            photo_count=Count("photos", distinct=True),
            media_count=Count("media_reports", distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def activity_detail(*, user: User, pk: int) -> Activity:
    """A visible activity with everything its page shows, or 404."""
    return activity_get_for_user(
        user,
        pk,
        queryset=Activity.objects.select_related(
            "institution", "campaign", "campaign__organiser", "recorded_by"
        ).prefetch_related("topics", "audiences", "media_reports", "photos"),
    )


def topics_active() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True)


def audiences_active() -> QuerySet[Audience]:
    return Audience.objects.filter(is_active=True)


# --- Campaign summary ------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    institution: Institution
    totals: ActivityTotals


@dataclass(frozen=True)
class CampaignSummary:
    campaign: Campaign
    grouping: str
    rows: list[SummaryRow]
    total: ActivityTotals
    #: (label, planned, achieved) for each planned target the campaign has.
    targets: list[tuple[str, int, int]] = field(default_factory=list)


def top_institutions_in_scope(*, user: User) -> QuerySet[Institution]:
    """The highest institutions the user can see: those whose parent is out of their
    scope (for the regulator the banks of the county and the office itself, for a
    manager their own institution, for a teller their outlet)."""
    visible = institutions_visible_to(user)
    return visible.exclude(parent__in=visible).order_by("path")


def campaign_summary(
    *, user: User, campaign: Campaign, grouping: str = SummaryGrouping.BANK
) -> CampaignSummary:
    """What ``campaign`` adds up to within what ``user`` can see.

    ``grouping`` ``bank`` gives one row per highest institution in the user's scope
    (each activity counted under the top of its own tree — for the county office, the
    bank); ``institution`` gives one row per institution that held activities. Rows
    follow the tree order; the total is computed by the database over the same
    activities, never by adding rows up.
    """
    activities = activity_list_for_user(user).filter(campaign=campaign)
    if grouping == SummaryGrouping.INSTITUTION:
        grouped = _grouped_totals(
            activities, key="institution_id", media_key="activity__institution_id"
        )
    else:
        tops = list(top_institutions_in_scope(user=user))
        grouped = _grouped_totals(
            activities,
            key=_subtree_key("institution__", tops),
            media_key=_subtree_key("activity__institution__", tops),
        )
    institutions = Institution.objects.filter(pk__in=grouped).order_by("path")
    rows = [SummaryRow(inst, grouped[inst.pk]) for inst in institutions]
    total = _totals(activities)
    targets = [
        (
            str(Campaign._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
            getattr(campaign, name),
            getattr(total, code),
        )
        for name, code in TARGET_FIELDS.items()
        if getattr(campaign, name) is not None
    ]
    return CampaignSummary(campaign, str(grouping), rows, total, targets)


# --- Totals for other apps (appraisal, quarterly report) ------------------------------


def activity_totals(
    *,
    institution: Institution,
    date_from: date,
    date_to: date,
    campaign: Campaign | None = None,
) -> ActivityTotals:
    """The publicity figures of ``institution`` and everything below it, for the
    activities held between ``date_from`` and ``date_to`` (both inclusive).

    Not scoped to a user: the caller (the appraisal, the quarterly report task) has
    already decided that the institution may be reported on, e.g. with
    ``institutions.access.institution_get_for_user``.
    """
    activities = Activity.objects.filter(
        tree.subtree_q(institution, "institution"), held_on__range=(date_from, date_to)
    )
    if campaign is not None:
        activities = activities.filter(campaign=campaign)
    return _totals(activities)


def activity_totals_by_subtree(
    *, institutions: Sequence[Institution], date_from: date, date_to: date
) -> dict[int, ActivityTotals]:
    """``activity_totals`` for many subtrees at once (the appraisal of every bank in
    the county): ``{institution pk: totals}`` in two queries, an entry (possibly all
    zero) for each institution given. The subtrees must not overlap — an outlet and
    its bank together would count the outlet's activities once, under the bank."""
    institutions = list(institutions)
    for one in institutions:
        if any(other is not one and tree.is_within(one, other) for other in institutions):
            raise ValueError("activity_totals_by_subtree: the subtrees overlap")
    if not institutions:
        return {}
    under_any = tree.under_any_q(institutions, "institution")
    activities = Activity.objects.filter(under_any, held_on__range=(date_from, date_to))
    grouped = _grouped_totals(
        activities,
        key=_subtree_key("institution__", institutions),
        media_key=_subtree_key("activity__institution__", institutions),
    )
    return {inst.pk: grouped.get(inst.pk, ActivityTotals()) for inst in institutions}
