"""A period's own copy of the indicator scheme, and a sheet and score rows for
every appraised institution."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import reference, selectors
from .. import rules as access
from ..models import (
    AppraisalPeriod,
    Indicator,
    IndicatorScheme,
    IndicatorScore,
    ScoreSheet,
    Section,
)
from .base import scheme_of


def scheme_copy(source: IndicatorScheme, *, code: str, name: str) -> IndicatorScheme:
    """A deep copy of ``source`` (sections and indicators) under a new code."""
    base, n = code, 1
    while IndicatorScheme.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    copy = IndicatorScheme.objects.create(
        code=code,
        name=name,
        is_template=False,
        grade_scale_id=source.grade_scale_id,
        key_supervision_overdue_threshold=source.key_supervision_overdue_threshold,
        copied_from=source,
        note=source.note,
    )
    sections = {}
    for s in source.sections.all():
        sections[s.pk] = Section.objects.create(
            scheme=copy,
            code=s.code,
            name=s.name,
            kind=s.kind,
            weight=s.weight,
            topics=s.topics,
            order=s.order,
        )
    Indicator.objects.bulk_create(
        [
            Indicator(
                scheme=copy,
                section=sections[i.section_id],
                code=i.code,
                name=i.name,
                criteria=i.criteria,
                method=i.method,
                computed_kind=i.computed_kind,
                max_score=i.max_score,
                weight=i.weight,
                formula=i.formula,
                zero_at=i.zero_at,
                full_at=i.full_at,
                bands=i.bands,
                direction=i.direction,
                order=i.order,
            )
            for i in source.indicators.all()
        ]
    )
    return copy


def scheme_copy_from_previous(period: AppraisalPeriod) -> IndicatorScheme:
    """Give ``period`` its own copy of the scheme of the office's latest earlier
    period that has one — so the supervisor's edits carry forward — or of the
    default template for the office's first period. Idempotent."""
    if period.scheme is not None:
        return period.scheme
    previous = (
        AppraisalPeriod.objects.filter(
            regulator_id=period.regulator_id, scheme__isnull=False, starts_on__lt=period.starts_on
        )
        .exclude(pk=period.pk)
        .select_related("scheme")
        .order_by("-starts_on", "-pk")
        .first()
    )
    source = previous.scheme if previous else None
    if source is None:
        source = IndicatorScheme.objects.filter(is_template=True).order_by("pk").first()
    if source is None:
        source = reference.load()
    copy = scheme_copy(
        source,
        code=f"{period.regulator.code}-{period.code}",
        name=_("%(period)s指标方案") % {"period": period.name},
    )
    AppraisalPeriod.objects.filter(pk=period.pk).update(scheme=copy)
    period.scheme = copy
    return copy


def sheets_ensure(period: AppraisalPeriod) -> int:
    """A sheet for every appraised institution and a score row for every indicator
    (indicators added to an open period's scheme get theirs here). Returns the number
    of sheets created."""
    if not access.period_is_open_for_scoring(period):
        return 0
    have = set(period.sheets.values_list("institution_id", flat=True))
    new = [
        ScoreSheet(period=period, institution=inst)
        for inst in selectors.appraised_institutions(regulator=period.regulator)
        if inst.pk not in have
    ]
    ScoreSheet.objects.bulk_create(new)
    indicator_ids = list(scheme_of(period).indicators.values_list("pk", flat=True))
    existing = set(
        IndicatorScore.objects.filter(sheet__period=period).values_list("sheet_id", "indicator_id")
    )
    IndicatorScore.objects.bulk_create(
        [
            IndicatorScore(sheet_id=sheet_id, indicator_id=indicator_id)
            for sheet_id in period.sheets.values_list("pk", flat=True)
            for indicator_id in indicator_ids
            if (sheet_id, indicator_id) not in existing
        ]
    )
    return len(new)
