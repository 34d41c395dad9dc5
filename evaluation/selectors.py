"""Reads of the appraisal. Lists are one query each (joins and subqueries, no
per-row queries); the access decisions come from ``evaluation.rules``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from evaluation import rules as access
from institutions import tree
from institutions.enums import InstitutionKind
from institutions.models import Institution, User

from . import scoring
from .enums import RESULT_STATES, SCORABLE_STATES, SelfAssessmentStatus
from .models import (
    AppraisalPeriod,
    Evidence,
    IndicatorScore,
    ScoreSheet,
    ScoreSheetQuerySet,
    Section,
    SelfAssessment,
    SelfAssessmentEntry,
)


def appraised_institutions(*, regulator: Institution) -> QuerySet[Institution]:
    """Who a period of ``regulator`` appraises: the top of each tree in its
    jurisdiction (each bank's highest node supervised by the office — a node whose
    parent is not itself supervised by it), active. Their subtrees' data is
    aggregated under them, so no complaint is counted twice."""
    return (
        Institution.objects.filter(regulator=regulator, is_active=True)
        .exclude(kind=InstitutionKind.REGULATOR)
        .exclude(parent__regulator=regulator)
        .order_by("path")
    )


def previous_period(*, period: AppraisalPeriod) -> AppraisalPeriod | None:
    """The office's latest period that ended before ``period`` starts."""
    return (
        AppraisalPeriod.objects.filter(
            regulator_id=period.regulator_id, ends_on__lt=period.starts_on
        )
        .exclude(pk=period.pk)
        .order_by("-ends_on", "-pk")
        .first()
    )


def next_period(*, period: AppraisalPeriod) -> AppraisalPeriod | None:
    """The office's earliest period that starts after ``period`` ends."""
    return (
        AppraisalPeriod.objects.filter(
            regulator_id=period.regulator_id, starts_on__gt=period.ends_on
        )
        .order_by("starts_on", "pk")
        .first()
    )


def key_supervision_list(*, period: AppraisalPeriod) -> QuerySet[ScoreSheet]:
    """The institutions ``period`` puts under key supervision for the next period
    (the decision, or the proposal while undecided)."""
    return (
        period.sheets.key_supervised()
        .select_related("institution")
        .order_by("rank", "institution__path")
    )


def key_supervision_from_previous(
    *, period: AppraisalPeriod
) -> tuple[AppraisalPeriod | None, list[ScoreSheet]]:
    """Last period's key-supervision institutions, listed in this period. Only a
    published (or closed) previous period counts: until then nothing is decided."""
    previous = previous_period(period=period)
    if previous is None or previous.status not in RESULT_STATES:
        return previous, []
    return previous, list(key_supervision_list(period=previous))


def _self_assessment(field_name: str):
    return Subquery(
        SelfAssessment.objects.filter(
            period_id=OuterRef("period_id"), institution_id=OuterRef("institution_id")
        ).values(field_name)[:1]
    )


def period_overview(*, period: AppraisalPeriod) -> ScoreSheetQuerySet:
    """Every sheet of the period with its institution, grade and self-assessment
    status, ranked — one query whatever the number of institutions."""
    return (
        period.sheets.with_final_key_supervision()
        .select_related("institution")
        .annotate(
            self_status=_self_assessment("status"),
            self_submitted_at=_self_assessment("submitted_at"),
            evidence_count=Count("evidence", distinct=True),
        )
        .order_by(Coalesce("rank", 9999), "institution__path")
    )


def periods_for_staff(*, user: User) -> QuerySet[AppraisalPeriod]:
    return (
        access.period_list_for_user(user)
        .select_related("regulator")
        .annotate(sheet_count=Count("sheets"))
        .order_by("-starts_on", "-pk")
    )


# --- One sheet ----------------------------------------------------------------------------


@dataclass
class SheetLine:
    score: IndicatorScore
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def indicator(self):
        return self.score.indicator


@dataclass
class SheetSection:
    section: Section
    score: Decimal
    lines: list[SheetLine]
    own_entry: SelfAssessmentEntry | None = None


@dataclass
class SheetDetail:
    sheet: ScoreSheet
    sections: list[SheetSection]
    self_assessment: SelfAssessment | None
    institution_count: int


def sheet_detail(*, sheet: ScoreSheet, with_evidence: bool = False) -> SheetDetail:
    """The sheet by section with each section's points (recomputed from the stored
    scores by the same arithmetic as the totals) and the institution's
    self-assessment beside it. A fixed number of queries."""
    period = sheet.period
    scheme = period.scheme
    sections = list(scheme.sections.all()) if scheme is not None else []
    scores = list(
        sheet.scores.select_related("indicator", "scored_by").order_by(
            "indicator__section__order", "indicator__order", "indicator__pk"
        )
    )
    totals = scoring.sheet_totals(
        sections,
        [
            (s.indicator.section_id, s.indicator.weight, s.indicator.max_score, s.score)
            for s in scores
        ],
    )
    evidence: dict[int, list[Evidence]] = {}
    if with_evidence:
        for item in sheet.evidence.all().order_by("uploaded_at"):
            evidence.setdefault(item.indicator_id, []).append(item)
    own = (
        SelfAssessment.objects.filter(period=period, institution_id=sheet.institution_id)
        .prefetch_related("entries")
        .first()
    )
    own_entries = {e.section_id: e for e in own.entries.all()} if own else {}
    by_section: dict[int, list[SheetLine]] = {s.pk: [] for s in sections}
    for s in scores:
        by_section.setdefault(s.indicator.section_id, []).append(
            SheetLine(s, evidence.get(s.indicator_id, []))
        )
    return SheetDetail(
        sheet=sheet,
        sections=[
            SheetSection(
                s, totals.sections.get(s.pk, Decimal(0)), by_section[s.pk], own_entries.get(s.pk)
            )
            for s in sections
        ],
        self_assessment=own,
        institution_count=period.sheets.count(),
    )


# --- Institution side ---------------------------------------------------------------------


def results_for_user(*, user: User) -> ScoreSheetQuerySet:
    """The user's institution's published sheets, newest first, each with the number
    of institutions ranked in its period."""
    count = (
        ScoreSheet.objects.filter(period_id=OuterRef("period_id"))
        .order_by()
        .values("period_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        access.own_sheets(user)
        .with_final_key_supervision()
        .select_related("period", "institution")
        .annotate(institution_count=Subquery(count))
        .order_by("-period__starts_on")
    )


@dataclass
class SelfAssessmentTask:
    period: AppraisalPeriod
    institution: Institution
    self_assessment: SelfAssessment | None


def self_assessment_tasks(*, user: User) -> list[SelfAssessmentTask]:
    """Open periods in which the user's institution is appraised, with its
    self-assessment (or None if not started)."""
    pks = access.acting_for_pks(user)
    if not pks:
        return []
    sheets = (
        ScoreSheet.objects.filter(institution_id__in=pks, period__status__in=SCORABLE_STATES)
        .select_related("period", "institution")
        .order_by("-period__starts_on")
    )
    own = {
        (a.period_id, a.institution_id): a
        for a in SelfAssessment.objects.filter(
            institution_id__in=pks, period__status__in=SCORABLE_STATES
        )
    }
    return [
        SelfAssessmentTask(s.period, s.institution, own.get((s.period_id, s.institution_id)))
        for s in sheets
    ]


def appraised_for_user(*, user: User, period: AppraisalPeriod) -> Institution | None:
    """The institution the user acts for in ``period`` (None when not appraised)."""
    pks = access.acting_for_pks(user)
    sheet = (
        period.sheets.filter(institution_id__in=pks)
        .select_related("institution")
        .order_by("institution__path")
        .first()
    )
    return sheet.institution if sheet else None


# --- The circulation notice ---------------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    """One line of the notice's results table, and the reason printed for a disclosed
    institution."""

    sheet: ScoreSheet
    reason: str

    @property
    def institution(self):
        return self.sheet.institution


@dataclass
class Notice:
    period: AppraisalPeriod
    institution_count: int
    commended: list[ScoreSheet]
    disclosed: list[NoticeRow]
    grade_counts: list[tuple[str, int]]
    #: every appraised institution by rank: scores, rank, grade
    results: list[ScoreSheet]


def notice_reason(sheet: ScoreSheet) -> str:
    """Why an institution is disclosed, in the notice's words: its grade, major
    complaints and overdue cases (the facts the key-supervision rules read), and the
    supervisor's reason where they decided against the system's proposal. A reason
    written only to confirm the proposal (or the note the publication writes) is an
    internal record and is not printed."""
    parts = [
        _("考核等级 %(grade)s") % {"grade": sheet.grade or "—"},
        _("重大投诉 %(n)d 件") % {"n": sheet.major_complaints},
        _("逾期 %(n)d 件") % {"n": sheet.overdue_count},
    ]
    overridden = (
        sheet.key_supervision is not None
        and sheet.key_supervision != sheet.key_supervision_proposed
        and sheet.key_supervision_reason.strip()
    )
    if overridden:
        parts.append(sheet.key_supervision_reason.strip())
    return "；".join(parts)


def notice(*, period: AppraisalPeriod) -> Notice:
    """通报: commended = a commended grade (A/优秀) and not under key supervision;
    disclosed = a disclosed grade (D/不合格) or under key supervision next period,
    each with its reason (``notice_reason``); and the results of every appraised
    institution — total, element and deduction points, rank and grade — as the
    issue of the 通报 asks (docs/evaluation.md: the notice shows scores)."""
    sheets = list(
        period.sheets.with_final_key_supervision()
        .select_related("institution")
        .order_by("institution__path")
    )
    commended = [s for s in sheets if s.is_commended and not s.final_key_supervision]
    disclosed = [
        NoticeRow(s, notice_reason(s)) for s in sheets if s.is_disclosed or s.final_key_supervision
    ]
    counts: dict[str, int] = {}
    scheme = period.scheme
    bands = list(scheme.grade_scale.bands.all()) if scheme is not None else []
    for band in bands:
        counts[band.label] = 0
    for s in sheets:
        if s.grade:
            counts[s.grade] = counts.get(s.grade, 0) + 1
    results = sorted(sheets, key=lambda s: (s.rank is None, s.rank or 0, s.institution.path))
    return Notice(period, len(sheets), commended, disclosed, list(counts.items()), results)


def self_assessment_status_label(status: str | None) -> str:
    if status is None:
        return ""
    return str(SelfAssessmentStatus(status).label)


# --- For other apps -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    period_name: str
    institution_name: str
    total: Decimal
    rank: int | None
    grade: str
    key_supervision: bool


def period_results_for_report(
    *, user: User, start, end, root: Institution | None = None
) -> list[ReportRow]:
    """Published results of the periods lying within [start, end], as ``user`` may
    see them (the office's staff: their office's; a manager: their institution's
    own), for the quarterly report pack. ``root`` narrows to a supervising office's
    periods, or to the sheets of an institution's tree (its subtree and the appraised
    node above it). One query."""
    visible = (
        access.sheet_list_for_staff(user, ScoreSheet.objects.all())
        if user.has_perm("evaluation.view_scoresheet")
        else access.own_sheets(user, ScoreSheet.objects.all())
    )
    sheets = visible.filter(
        period__status__in=RESULT_STATES, period__starts_on__gte=start, period__ends_on__lte=end
    )
    if root is not None and root.is_regulator:
        sheets = sheets.filter(period__regulator=root)
    elif root is not None:
        sheets = sheets.filter(tree.ancestors_or_subtree_q(root, "institution"))
    return [
        ReportRow(
            s.period.name, s.institution.name, s.total, s.rank, s.grade, s.final_key_supervision
        )
        for s in sheets.select_related("period", "institution").order_by(
            "period__starts_on", "rank", "institution__path"
        )
    ]
