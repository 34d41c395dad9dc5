"""Manual scores (one, or many from an import) and the key-supervision decision."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.models import User

from .. import scoring
from ..enums import AppraisalAction, ScoringMethod
from ..errors import AppraisalError
from ..models import AppraisalPeriod, IndicatorScore, ScoreSheet
from .base import lock_period, log_action, require_scorable, require_scorer
from .totals import totals_refresh


def parse_score(value, *, max_score: Decimal) -> Decimal:
    """A score typed by a person: a number from 0 to ``max_score``, two decimals."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise AppraisalError(
            _("得分“%(value)s”不是有效的数字。") % {"value": value}, code="score_nan"
        ) from None
    if not number.is_finite():
        raise AppraisalError(_("得分必须是有效的数字。"), code="score_nan")
    if number < 0 or number > max_score:
        raise AppraisalError(
            _("得分 %(value)s 超出范围：应在 0 至 %(max)s 之间。")
            % {"value": number, "max": max_score},
            code="score_range",
        )
    return scoring.q2(number)


def _apply_score(*, actor: User, score: IndicatorScore, value, reason: str) -> bool:
    indicator = score.indicator
    if indicator.method != ScoringMethod.MANUAL:
        raise AppraisalError(
            _("“%(code)s”为系统计算指标，不能人工评分。") % {"code": indicator.code},
            code="computed",
        )
    number = parse_score(value, max_score=indicator.max_score)
    reason = (reason or "").strip()
    if not reason:
        raise AppraisalError(
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
    period = lock_period(score.sheet.period)
    require_scorer(actor, period)
    require_scorable(period)
    score = IndicatorScore.objects.select_related("indicator", "sheet").get(pk=score.pk)
    if _apply_score(actor=actor, score=score, value=value, reason=reason):
        log_action(
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
    period = lock_period(period)
    require_scorer(actor, period)
    require_scorable(period)
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
            raise AppraisalError(
                _("考核期“%(period)s”中没有机构“%(inst)s”的指标“%(code)s”。")
                % {"period": period.code, "inst": institution_code, "code": indicator_code},
                code="unknown",
            )
        changed += _apply_score(actor=actor, score=score, value=value, reason=reason)
    if changed:
        log_action(period, actor, AppraisalAction.IMPORT_SCORES, _("%(n)d 项") % {"n": changed})
        totals_refresh(period)
    return changed


@transaction.atomic
def key_supervision_decide(
    *, actor: User, sheet: ScoreSheet, key_supervision: bool, reason: str = ""
) -> ScoreSheet:
    """The supervisor confirms (same as the proposal) or overrides (different, with
    a reason) whether the institution is under key supervision next period."""
    period = lock_period(sheet.period)
    require_scorer(actor, period)
    require_scorable(period)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    reason = (reason or "").strip()
    if key_supervision != sheet.key_supervision_proposed and not reason:
        raise AppraisalError(_("与系统建议不一致时，须填写调整理由。"), code="override_reason")
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
    log_action(
        period,
        actor,
        AppraisalAction.DECIDE,
        (_("列为重点监管") if key_supervision else _("不列为重点监管"))
        + (f"：{reason}" if reason else ""),
        sheet=sheet,
    )
    return sheet
