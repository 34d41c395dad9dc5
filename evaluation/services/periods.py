"""The period's life: create (with its scheme and sheets), start scoring, publish,
close, and the next period."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.models import Institution, User

from .. import rules as access
from .. import selectors
from ..enums import AppraisalAction, PeriodKind, ScoringMethod
from ..errors import AppraisalError, PermissionRefused
from ..models import AppraisalPeriod, IndicatorScore
from .base import P, lock_period, log_action, require_scorer, scheme_of
from .schemes import scheme_copy_from_previous, sheets_ensure
from .totals import totals_refresh

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
PERIOD_MONTHS: dict[str, int] = {
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.YEAR: 12,
}


def period_label(kind: str, starts_on: date) -> tuple[date, str, str]:
    """(last day, code, name) of the period of ``kind`` that starts on ``starts_on``
    (the first day of a quarter, half-year or year)."""
    months = PERIOD_MONTHS[kind]
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
        raise PermissionRefused(_("只有本考核机构的监管人员可以进行此操作。"))
    default_end, default_code, default_name = period_label(kind, starts_on)
    ends_on = ends_on or default_end
    if ends_on < starts_on:
        raise AppraisalError(_("结束日期不能早于开始日期。"), code="dates")
    code = code or default_code
    if AppraisalPeriod.objects.filter(regulator=regulator, code=code).exists():
        raise AppraisalError(_("考核期代码“%(code)s”已存在。") % {"code": code}, code="duplicate")
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
    scheme = scheme_copy_from_previous(period)
    sheets_ensure(period)
    log_action(period, actor, AppraisalAction.CREATE, _("指标方案：%(s)s") % {"s": scheme.name})
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


@transaction.atomic
def period_start_scoring(*, actor: User, period: AppraisalPeriod) -> AppraisalPeriod:
    """进行中 → 评分中: the scheme is fixed from here on."""
    period = lock_period(period)
    require_scorer(actor, period)
    if period.status != P.OPEN:
        raise AppraisalError(_("只有进行中的考核期可以开始评分。"), code="bad_state")
    sheets_ensure(period)
    period.start_scoring()
    period.save(update_fields=["status"])
    log_action(period, actor, AppraisalAction.START_SCORING)
    return period


def publish_problems(period: AppraisalPeriod) -> list[str]:
    """Why ``period`` cannot be published yet (empty: it can)."""
    problems = []
    scores = IndicatorScore.objects.filter(sheet__period=period, score__isnull=True)
    computed = scheme_of(period).indicators.filter(method=ScoringMethod.COMPUTED).exists()
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
    period = lock_period(period)
    require_scorer(actor, period)
    if not access.period_is_open_for_scoring(period):
        raise AppraisalError(_("考核期“%(name)s”已发布。") % {"name": period.name}, code="state")
    problems = publish_problems(period)
    if problems:
        raise AppraisalError(messages=problems, code="not_ready")
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
    log_action(
        period, actor, AppraisalAction.PUBLISH, _("下期重点监管机构 %(n)d 家") % {"n": flagged}
    )
    return period


@transaction.atomic
def period_close(*, actor: User, period: AppraisalPeriod) -> AppraisalPeriod:
    period = lock_period(period)
    require_scorer(actor, period)
    if period.status != P.PUBLISHED:
        raise AppraisalError(_("只有已发布的考核期可以结束。"), code="state")
    period.close()
    period.save(update_fields=["status", "closed_at"])
    log_action(period, actor, AppraisalAction.CLOSE)
    return period
