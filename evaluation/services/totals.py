"""The recompute of the computed indicators and the totals, ranks, grades and
key-supervision proposals derived from the stored scores."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.models import User

from .. import indicators, scoring
from .. import rules as access
from ..enums import AppraisalAction, ScoringMethod
from ..models import AppraisalPeriod, IndicatorScore, ScoreSheet, SelfAssessment
from .base import lock_period, log_action, require_scorable, require_scorer, scheme_of
from .schemes import sheets_ensure


@transaction.atomic
def period_recompute(
    *, actor: User, period: AppraisalPeriod, as_of: datetime | None = None
) -> AppraisalPeriod:
    """Measure every computed indicator of every sheet from the system's data as of
    ``as_of`` (now), score it by its formula, and refresh totals, ranks, grades and
    key-supervision proposals. Idempotent: the same data gives the same sheet."""
    period = lock_period(period)
    require_scorer(actor, period)
    require_scorable(period)
    sheets_ensure(period)
    now = timezone.now()
    as_of = as_of or now
    sheets = list(period.sheets.select_related("institution"))
    computed = list(
        scheme_of(period).indicators.filter(method=ScoringMethod.COMPUTED).select_related("section")
    )
    on_time = {
        a.institution_id: a.on_time
        for a in SelfAssessment.objects.filter(period=period).select_related("period")
    }
    values, figures = indicators.raw_values(
        institutions=[s.institution for s in sheets],
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        as_of=as_of,
        kinds={i.computed_kind for i in computed},
        self_assessment_on_time=on_time,
    )
    by_key = {
        (s.sheet_id, s.indicator_id): s
        for s in IndicatorScore.objects.filter(sheet__period=period, indicator__in=computed)
    }
    changed = []
    for sheet in sheets:
        for indicator in computed:
            row = by_key[(sheet.pk, indicator.pk)]
            raw = values[sheet.institution_id][indicator.computed_kind]
            row.raw_value = raw
            row.score = scoring.computed_score(
                indicator, raw, deduction=indicator.section.is_deduction
            )
            row.scored_by, row.scored_at, row.reason = actor, now, ""
            changed.append(row)
        sheet.major_complaints = figures[sheet.institution_id].major
        sheet.overdue_count = figures[sheet.institution_id].overdue
        sheet.computed_at = now
    IndicatorScore.objects.bulk_update(
        changed, ["raw_value", "score", "scored_by", "scored_at", "reason"]
    )
    ScoreSheet.objects.bulk_update(sheets, ["major_complaints", "overdue_count", "computed_at"])
    AppraisalPeriod.objects.filter(pk=period.pk).update(computed_at=now)
    period.computed_at = now
    totals_refresh(period)
    log_action(
        period,
        actor,
        AppraisalAction.RECOMPUTE,
        _("%(n)d 家机构，统计截至 %(as_of)s")
        % {"n": len(sheets), "as_of": timezone.localtime(as_of).strftime("%Y-%m-%d %H:%M")},
    )
    return period


def totals_refresh(period: AppraisalPeriod) -> None:
    """Totals, ranks (standard competition ranking), grades and key-supervision
    proposals of every sheet from the stored scores. A published period is fixed and
    left alone. Three queries and one bulk update, whatever the number of sheets."""
    if not access.period_is_open_for_scoring(period):
        return
    scheme = scheme_of(period)
    sections = list(scheme.sections.all())
    bands = list(scheme.grade_scale.bands.all())
    rows: dict[int, list[tuple]] = {}
    for sheet_id, *rest in IndicatorScore.objects.filter(sheet__period=period).values_list(
        "sheet_id", "indicator__section_id", "indicator__weight", "indicator__max_score", "score"
    ):
        rows.setdefault(sheet_id, []).append(tuple(rest))
    sheets = list(period.sheets.all())
    for sheet in sheets:
        totals = scoring.sheet_totals(sections, rows.get(sheet.pk, []))
        band = scoring.grade_for(totals.total, bands)
        sheet.element_total, sheet.deduction, sheet.total = (
            totals.element_total,
            totals.deduction,
            totals.total,
        )
        sheet.unscored_count = totals.unscored
        sheet.grade_band = band
        sheet.grade = band.label if band else ""
        sheet.is_commended = bool(band and band.is_commended)
        sheet.is_disclosed = bool(band and band.is_disclosed)
        reasons = scoring.key_supervision_reasons(
            band=band,
            major_complaints=sheet.major_complaints,
            overdue_count=sheet.overdue_count,
            overdue_threshold=scheme.key_supervision_overdue_threshold,
        )
        sheet.key_supervision_proposed = bool(reasons)
        sheet.proposal_reasons = "；".join(reasons)
    ranks = scoring.competition_ranks({s.pk: s.total for s in sheets})
    for sheet in sheets:
        sheet.rank = ranks[sheet.pk]
    ScoreSheet.objects.bulk_update(
        sheets,
        [
            "element_total",
            "deduction",
            "total",
            "unscored_count",
            "grade_band",
            "grade",
            "is_commended",
            "is_disclosed",
            "key_supervision_proposed",
            "proposal_reasons",
            "rank",
        ],
    )
