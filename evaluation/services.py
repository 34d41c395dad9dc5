"""Writes of the appraisal: periods and their transitions, the scheme copy, the
recompute, scores, key-supervision decisions, evidence, self-assessments and
inspections.

Every function checks the permission itself (views and the admin only call it),
runs in one transaction, locks the period row when it changes totals (two
supervisors recomputing and scoring at once must not interleave), and writes an
``AppraisalLog`` row.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.models import Institution, User

from . import indicators, reference, scoring, selectors
from .enums import (
    SCORABLE_STATES,
    AppraisalAction,
    PeriodKind,
    PeriodStatus,
    ScoringMethod,
    SelfAssessmentStatus,
)
from .models import (
    AppraisalLog,
    AppraisalPeriod,
    Evidence,
    Indicator,
    IndicatorScheme,
    IndicatorScore,
    Inspection,
    ScoreSheet,
    Section,
    SelfAssessment,
    SelfAssessmentEntry,
)
from .validators import inspect_evidence

P = PeriodStatus


def _require_scorer(actor: User, period: AppraisalPeriod) -> None:
    if not actor.has_perm("evaluation.score", period):
        raise PermissionDenied(_("只有本考核机构的监管人员可以进行此操作。"))


def _require_scorable(period: AppraisalPeriod) -> None:
    if period.status not in SCORABLE_STATES:
        raise ValidationError(
            _("考核期“%(name)s”已%(status)s，不能再修改评分。")
            % {"name": period.name, "status": period.get_status_display()},
            code="not_scorable",
        )


def _lock(period: AppraisalPeriod) -> AppraisalPeriod:
    # of=self: the scheme join is nullable (an outer join), which PostgreSQL cannot lock.
    return (
        AppraisalPeriod.objects.select_for_update(of=("self",))
        .select_related("scheme")
        .get(pk=period.pk)
    )


def _log(period, actor, action, note: str = "", sheet=None) -> None:
    AppraisalLog.objects.create(
        period=period, sheet=sheet, actor=actor, action=action, note=note[:2000]
    )


# --- Periods ------------------------------------------------------------------------------

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def period_label(kind: str, starts_on: date) -> tuple[date, str, str]:
    """(last day, code, name) of the period of ``kind`` that starts on ``starts_on``
    (the first day of a quarter, half-year or year)."""
    months = {PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}[kind]
    last_month = starts_on.month + months - 1
    year = starts_on.year + (last_month - 1) // 12
    month = (last_month - 1) % 12 + 1
    ends_on = date(year, month, calendar.monthrange(year, month)[1])
    if kind == PeriodKind.QUARTER:
        q = (starts_on.month - 1) // 3 + 1
        return ends_on, f"{starts_on.year}Q{q}", f"{starts_on.year}年第{QUARTER_NAMES[q]}季度"
    if kind == PeriodKind.HALF_YEAR:
        half = 1 if starts_on.month <= 6 else 2
        label = "上半年" if half == 1 else "下半年"
        return ends_on, f"{starts_on.year}H{half}", f"{starts_on.year}年{label}"
    return ends_on, f"{starts_on.year}", f"{starts_on.year}年度"


@transaction.atomic
def period_create(
    *,
    actor: User,
    regulator: Institution,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    code: str = "",
    name: str = "",
    self_assessment_due: date | None = None,
) -> AppraisalPeriod:
    """A new period of ``regulator``: the scheme copied from the previous period (or
    the default), one sheet per appraised institution. Code, name and last day
    default from ``kind`` and ``starts_on``; the self-assessment is due 10 days after
    the period ends unless given."""
    if not (actor.has_perm("evaluation.score") and actor.institution_id == regulator.pk):
        raise PermissionDenied(_("只有本考核机构的监管人员可以进行此操作。"))
    default_end, default_code, default_name = period_label(kind, starts_on)
    ends_on = ends_on or default_end
    if ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"), code="dates")
    code = code or default_code
    if AppraisalPeriod.objects.filter(regulator=regulator, code=code).exists():
        raise ValidationError(_("考核期代码“%(code)s”已存在。") % {"code": code}, code="duplicate")
    period = AppraisalPeriod.objects.create(
        regulator=regulator,
        kind=kind,
        code=code,
        name=name or default_name,
        starts_on=starts_on,
        ends_on=ends_on,
        self_assessment_due=self_assessment_due or ends_on + timedelta(days=10),
    )
    period_setup(actor=actor, period=period)
    return period


@transaction.atomic
def period_setup(*, actor: User | None, period: AppraisalPeriod) -> AppraisalPeriod:
    """Give a freshly saved period (service or admin add form) its scheme and sheets."""
    scheme_copy_from_previous(period)
    sheets_ensure(period)
    _log(period, actor, AppraisalAction.CREATE, _("指标方案：%(s)s") % {"s": period.scheme.name})
    return period


def period_create_next(*, actor: User, period: AppraisalPeriod) -> AppraisalPeriod:
    """The period of the same kind right after ``period`` (or the existing one)."""
    starts_on = period.ends_on + timedelta(days=1)
    existing = AppraisalPeriod.objects.filter(
        regulator_id=period.regulator_id, kind=period.kind, starts_on=starts_on
    ).first()
    if existing is not None:
        return existing
    return period_create(
        actor=actor, regulator=period.regulator, kind=period.kind, starts_on=starts_on
    )


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
    if period.scheme_id:
        return period.scheme
    previous = (
        AppraisalPeriod.objects.filter(
            regulator_id=period.regulator_id,
            scheme__isnull=False,
            starts_on__lt=period.starts_on,
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
    if period.status not in SCORABLE_STATES:
        return 0
    have = set(period.sheets.values_list("institution_id", flat=True))
    new = [
        ScoreSheet(period=period, institution=inst)
        for inst in selectors.appraised_institutions(regulator=period.regulator)
        if inst.pk not in have
    ]
    ScoreSheet.objects.bulk_create(new)
    indicator_ids = list(period.scheme.indicators.values_list("pk", flat=True))
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


@transaction.atomic
def period_start_scoring(*, actor: User, period: AppraisalPeriod) -> AppraisalPeriod:
    """进行中 → 评分中: the scheme is fixed from here on."""
    period = _lock(period)
    _require_scorer(actor, period)
    if period.status != P.OPEN:
        raise ValidationError(_("只有进行中的考核期可以开始评分。"), code="bad_state")
    sheets_ensure(period)
    period.start_scoring()
    period.save(update_fields=["status"])
    _log(period, actor, AppraisalAction.START_SCORING)
    return period


@transaction.atomic
def period_recompute(
    *, actor: User, period: AppraisalPeriod, as_of: datetime | None = None
) -> AppraisalPeriod:
    """Measure every computed indicator of every sheet from the system's data as of
    ``as_of`` (now), score it by its formula, and refresh totals, ranks, grades and
    key-supervision proposals. Idempotent: the same data gives the same sheet."""
    period = _lock(period)
    _require_scorer(actor, period)
    _require_scorable(period)
    sheets_ensure(period)
    now = timezone.now()
    as_of = as_of or now
    sheets = list(period.sheets.select_related("institution"))
    computed = list(
        period.scheme.indicators.filter(method=ScoringMethod.COMPUTED).select_related("section")
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
    _log(
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
    if period.status not in SCORABLE_STATES:
        return
    scheme = period.scheme
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


# --- Scores -------------------------------------------------------------------------------


def parse_score(value, *, max_score: Decimal) -> Decimal:
    """A score typed by a person: a number from 0 to ``max_score``, two decimals."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("得分“%(value)s”不是有效的数字。") % {"value": value}, code="score_nan"
        ) from None
    if not number.is_finite():
        raise ValidationError(_("得分必须是有效的数字。"), code="score_nan")
    if number < 0 or number > max_score:
        raise ValidationError(
            _("得分 %(value)s 超出范围：应在 0 至 %(max)s 之间。")
            % {"value": number, "max": max_score},
            code="score_range",
        )
    return scoring.q2(number)


def _apply_score(*, actor: User, score: IndicatorScore, value, reason: str) -> bool:
    indicator = score.indicator
    if indicator.method != ScoringMethod.MANUAL:
        raise ValidationError(
            _("“%(code)s”为系统计算指标，不能人工评分。") % {"code": indicator.code},
            code="computed",
        )
    number = parse_score(value, max_score=indicator.max_score)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("请填写“%(code)s”的评分理由。") % {"code": indicator.code}, code="reason"
        )
    if score.score == number and score.reason == reason:
        return False
    score.score, score.reason = number, reason
    score.scored_by, score.scored_at = actor, timezone.now()
    score.save(update_fields=["score", "reason", "scored_by", "scored_at"])
    return True


@transaction.atomic
def score_record(*, actor: User, score: IndicatorScore, value, reason: str) -> IndicatorScore:
    """Score a manual indicator with a written reason (0 ≤ value ≤ max), then refresh
    the period's totals and ranks."""
    period = _lock(score.sheet.period)
    _require_scorer(actor, period)
    _require_scorable(period)
    score = IndicatorScore.objects.select_related("indicator", "sheet").get(pk=score.pk)
    if _apply_score(actor=actor, score=score, value=value, reason=reason):
        _log(
            period,
            actor,
            AppraisalAction.SCORE,
            f"{score.indicator.code}: {score.score}",
            sheet=score.sheet,
        )
        totals_refresh(period)
    return score


@transaction.atomic
def scores_record_many(*, actor: User, period: AppraisalPeriod, rows: list[tuple]) -> int:
    """Import: ``rows`` of (institution code, indicator code, value, reason). Every
    row is validated; the first bad one raises and nothing is written (the caller's
    transaction rolls back). Returns the number of scores changed."""
    period = _lock(period)
    _require_scorer(actor, period)
    _require_scorable(period)
    scores = {
        (s.sheet.institution.code, s.indicator.code): s
        for s in IndicatorScore.objects.filter(sheet__period=period).select_related(
            "indicator", "sheet__institution"
        )
    }
    changed = 0
    for institution_code, indicator_code, value, reason in rows:
        score = scores.get((institution_code, indicator_code))
        if score is None:
            raise ValidationError(
                _("考核期“%(period)s”中没有机构“%(inst)s”的指标“%(code)s”。")
                % {"period": period.code, "inst": institution_code, "code": indicator_code},
                code="unknown",
            )
        changed += _apply_score(actor=actor, score=score, value=value, reason=reason)
    if changed:
        _log(period, actor, AppraisalAction.IMPORT_SCORES, _("%(n)d 项") % {"n": changed})
        totals_refresh(period)
    return changed


@transaction.atomic
def key_supervision_decide(
    *, actor: User, sheet: ScoreSheet, key_supervision: bool, reason: str = ""
) -> ScoreSheet:
    """The supervisor confirms (same as the proposal) or overrides (different, with
    a reason) whether the institution is under key supervision next period."""
    period = _lock(sheet.period)
    _require_scorer(actor, period)
    _require_scorable(period)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    reason = (reason or "").strip()
    if key_supervision != sheet.key_supervision_proposed and not reason:
        raise ValidationError(_("与系统建议不一致时，须填写调整理由。"), code="override_reason")
    sheet.key_supervision = key_supervision
    sheet.key_supervision_reason = reason
    sheet.key_supervision_decided_by = actor
    sheet.key_supervision_decided_at = timezone.now()
    sheet.save(
        update_fields=[
            "key_supervision",
            "key_supervision_reason",
            "key_supervision_decided_by",
            "key_supervision_decided_at",
        ]
    )
    _log(
        period,
        actor,
        AppraisalAction.DECIDE,
        (_("列为重点监管") if key_supervision else _("不列为重点监管"))
        + (f"：{reason}" if reason else ""),
        sheet=sheet,
    )
    return sheet


def publish_problems(period: AppraisalPeriod) -> list[str]:
    """Why ``period`` cannot be published yet (empty: it can)."""
    problems = []
    scores = IndicatorScore.objects.filter(sheet__period=period, score__isnull=True)
    computed = period.scheme.indicators.filter(method=ScoringMethod.COMPUTED).exists()
    if computed and period.computed_at is None:
        problems.append(_("系统计算指标尚未计算，请先“重新计算系统指标”。"))
    manual = scores.filter(indicator__method=ScoringMethod.MANUAL).count()
    if manual:
        problems.append(_("还有 %(n)d 项人工评分指标未评分。") % {"n": manual})
    if not period.sheets.exists():
        problems.append(_("本考核期没有被考核机构。"))
    return problems


@transaction.atomic
def period_publish(*, actor: User, period: AppraisalPeriod) -> AppraisalPeriod:
    """发布: refuse while anything is unscored; refresh totals and ranks; fix every
    undecided key-supervision proposal as confirmed by the publisher; then each
    institution sees its own sheet and the notice can be printed."""
    period = _lock(period)
    _require_scorer(actor, period)
    if period.status not in SCORABLE_STATES:
        raise ValidationError(_("考核期“%(name)s”已发布。") % {"name": period.name}, code="state")
    problems = publish_problems(period)
    if problems:
        raise ValidationError(problems, code="not_ready")
    totals_refresh(period)
    now = timezone.now()
    for sheet in period.sheets.filter(key_supervision__isnull=True):
        sheet.key_supervision = sheet.key_supervision_proposed
        sheet.key_supervision_reason = _("发布时按系统建议确认")
        sheet.key_supervision_decided_by, sheet.key_supervision_decided_at = actor, now
        sheet.save(
            update_fields=[
                "key_supervision",
                "key_supervision_reason",
                "key_supervision_decided_by",
                "key_supervision_decided_at",
            ]
        )
    period.publish(by=actor)
    period.save(update_fields=["status", "published_at", "published_by"])
    flagged = selectors.key_supervision_list(period=period).count()
    _log(
        period,
        actor,
        AppraisalAction.PUBLISH,
        _("下期重点监管机构 %(n)d 家") % {"n": flagged},
    )
    return period


@transaction.atomic
def period_close(*, actor: User, period: AppraisalPeriod) -> AppraisalPeriod:
    period = _lock(period)
    _require_scorer(actor, period)
    if period.status != P.PUBLISHED:
        raise ValidationError(_("只有已发布的考核期可以结束。"), code="state")
    period.close()
    period.save(update_fields=["status", "closed_at"])
    _log(period, actor, AppraisalAction.CLOSE)
    return period


# --- Evidence ------------------------------------------------------------------------------


@transaction.atomic
def evidence_attach(
    *, actor: User, sheet: ScoreSheet, indicator: Indicator, file, description: str = ""
) -> Evidence:
    """Keep a file supporting a score: checked by content (validators), stored under
    a random name; refused whole if anything is wrong."""
    _require_scorer(actor, sheet.period)
    _require_scorable(sheet.period)
    if indicator.scheme_id != sheet.period.scheme_id:
        raise ValidationError(_("该指标不属于本考核期的指标方案。"), code="indicator")
    info = inspect_evidence(file)
    evidence = Evidence(
        sheet=sheet,
        indicator=indicator,
        original_name=(getattr(file, "name", "") or "").rsplit("/", 1)[-1][:120],
        content_type=info.content_type,
        size=info.size,
        description=(description or "").strip()[:200],
        uploaded_by=actor,
    )
    evidence.file.save(f"{evidence.pk.hex}.{info.extension}", file, save=False)
    evidence.save()
    return evidence


# --- Self-assessment ----------------------------------------------------------------------


@transaction.atomic
def self_assessment_save(
    *,
    actor: User,
    period: AppraisalPeriod,
    entries: dict[int, tuple[str, Decimal | None]],
    problems_and_measures: str,
    submit: bool,
) -> SelfAssessment:
    """Save (and with ``submit`` report) the self-assessment of the institution the
    actor acts for: text and own score per section (0 to the section's points).
    Once reported it can no longer be changed; reporting after the due date is
    allowed and recorded as late."""
    if not actor.has_perm("evaluation.self_assess", period):
        raise PermissionDenied(_("您无权填写本考核期的自评估。"))
    if period.status not in SCORABLE_STATES:
        raise ValidationError(_("考核结果已发布，不能再填写自评估。"), code="state")
    institution = selectors.appraised_for_user(user=actor, period=period)
    if institution is None:
        raise ValidationError(_("本机构不在本期考核范围内。"), code="not_appraised")
    own, _created = SelfAssessment.objects.select_for_update().get_or_create(
        period=period, institution=institution
    )
    if own.status == SelfAssessmentStatus.SUBMITTED:
        raise ValidationError(_("自评估已报送，不能再修改。"), code="submitted")
    sections = {s.pk: s for s in period.scheme.sections.all()}
    for section_id, (text, own_score) in entries.items():
        section = sections.get(section_id)
        if section is None:
            raise ValidationError(_("评价要素不属于本考核期。"), code="section")
        if own_score is not None and not (0 <= own_score <= section.weight):
            raise ValidationError(
                _("“%(name)s”的自评得分应在 0 至 %(max)s 之间。")
                % {"name": section.name, "max": section.weight},
                code="own_score",
            )
        SelfAssessmentEntry.objects.update_or_create(
            self_assessment=own,
            section=section,
            defaults={"text": (text or "").strip(), "own_score": own_score},
        )
    own.problems_and_measures = (problems_and_measures or "").strip()
    fields = ["problems_and_measures", "updated_at"]
    if submit:
        own.status = SelfAssessmentStatus.SUBMITTED
        own.submitted_at, own.submitted_by = timezone.now(), actor
        fields += ["status", "submitted_at", "submitted_by"]
    own.save(update_fields=fields)
    return own


# --- Inspections ----------------------------------------------------------------------------


@transaction.atomic
def inspections_plan_for_key_supervision(
    *, actor: User, period: AppraisalPeriod, kind: str, planned_on: date, subject: str
) -> int:
    """Plan an inspection of every institution ``period`` put under key supervision
    that has none planned from this period yet. Returns how many were planned."""
    _require_scorer(actor, period)
    created = 0
    for sheet in selectors.key_supervision_list(period=period):
        if sheet.inspections.exists():
            continue
        Inspection.objects.create(
            regulator_id=period.regulator_id,
            institution=sheet.institution,
            source_sheet=sheet,
            kind=kind,
            subject=subject,
            planned_on=planned_on,
            created_by=actor,
        )
        created += 1
    return created
