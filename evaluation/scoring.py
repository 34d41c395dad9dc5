"""The arithmetic of the appraisal, without the database: raw value → indicator
score, scores → section scores → total, totals → ranks, total → grade, facts →
key-supervision proposal. ``docs/evaluation.md`` states the same rules in prose.

Every amount is a ``Decimal`` rounded half-up to two places at the step where it is
shown, so what the sheet displays adds up to what it totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .enums import RATE_KINDS, Direction, Formula, ScoringMethod

CENT = Decimal("0.01")
ZERO = Decimal("0")


def q2(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def clip(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


# --- Raw value → score ---------------------------------------------------------------


def linear_score(
    raw: Decimal, *, zero_at: Decimal, full_at: Decimal, max_score: Decimal
) -> Decimal:
    """``max × (raw − zero_at) / (full_at − zero_at)`` clipped to [0, max]. With
    ``full_at < zero_at`` a lower raw value scores more (rates of repeats, overdue)."""
    span = Decimal(full_at) - Decimal(zero_at)
    fraction = (Decimal(raw) - Decimal(zero_at)) / span
    return q2(clip(Decimal(max_score) * fraction, ZERO, Decimal(max_score)))


def band_score(
    raw: Decimal, *, bands: Sequence[Sequence], direction: str, max_score: Decimal
) -> Decimal:
    """Higher-is-better: the score of the highest threshold ≤ raw. Lower-is-better:
    the score of the lowest threshold ≥ raw. No band reached: 0."""
    pairs = sorted((Decimal(str(t)), Decimal(str(s))) for t, s in bands)
    raw = Decimal(raw)
    chosen = ZERO
    if direction == Direction.LOWER_BETTER:
        for threshold, score in pairs:
            if raw <= threshold:
                chosen = score
                break
    else:
        for threshold, score in pairs:
            if raw >= threshold:
                chosen = score
    return q2(clip(chosen, ZERO, Decimal(max_score)))


def computed_score(indicator, raw: Decimal | None, *, deduction: bool) -> Decimal:
    """The score of a computed indicator for ``raw``. ``None`` (a rate with nothing
    to measure: no complaint answered) scores the full mark in an element section
    and deducts nothing in the deduction section."""
    max_score = Decimal(indicator.max_score)
    if raw is None:
        return ZERO if deduction else q2(max_score)
    if indicator.formula == Formula.BANDS:
        return band_score(
            raw, bands=indicator.bands, direction=indicator.direction, max_score=max_score
        )
    return linear_score(
        raw, zero_at=indicator.zero_at, full_at=indicator.full_at, max_score=max_score
    )


def indicator_problems(indicator) -> dict[str, str]:
    """What is wrong with an indicator's definition ({field: message}); empty when it
    can be scored. Used by the model's ``clean`` and by the scheme import."""
    problems: dict[str, str] = {}
    if indicator.method == ScoringMethod.MANUAL:
        if indicator.computed_kind:
            problems["computed_kind"] = _("人工评分指标不能选择计算指标。")
        return problems
    if not indicator.computed_kind:
        problems["computed_kind"] = _("系统计算指标必须选择计算指标。")
    if indicator.formula == Formula.LINEAR:
        if indicator.zero_at is None or indicator.full_at is None:
            problems["formula"] = _("线性插值须填写零分值和满分值。")
        elif Decimal(indicator.zero_at) == Decimal(indicator.full_at):
            problems["full_at"] = _("满分值与零分值不能相同。")
    elif indicator.formula == Formula.BANDS:
        try:
            pairs = [(Decimal(str(t)), Decimal(str(s))) for t, s in indicator.bands or []]
        except (TypeError, ValueError, ArithmeticError):
            pairs = None
        if not pairs:
            problems["bands"] = _("分档计分须至少填写一档，格式为“阈值:得分”。")
        elif any(s < 0 or s > Decimal(indicator.max_score or 0) for _t, s in pairs):
            problems["bands"] = _("分档得分须在 0 与满分之间。")
    else:
        problems["formula"] = _("系统计算指标必须选择计分公式。")
    return problems


def parse_bands(text: str) -> list[list[float]]:
    """“5:10;10:8” → [[5, 10], [10, 8]] (the spreadsheet and CSV form of ``bands``)."""
    pairs = []
    for part in (text or "").replace("；", ";").replace("：", ":").split(";"):
        part = part.strip()
        if not part:
            continue
        threshold, _sep, score = part.partition(":")
        pairs.append([_number(threshold), _number(score)])
    return pairs


def format_bands(bands) -> str:
    return ";".join(f"{_plain(t)}:{_plain(s)}" for t, s in bands or [])


def _number(text: str):
    value = Decimal(text.strip())
    return int(value) if value == value.to_integral_value() else float(value)


def _plain(value) -> str:
    d = Decimal(str(value))
    return str(d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize())


# --- Scores → totals --------------------------------------------------------------------


@dataclass(frozen=True)
class SheetTotals:
    sections: dict[int, Decimal]
    element_total: Decimal
    deduction: Decimal
    total: Decimal
    unscored: int


def sheet_totals(sections: Iterable, scores: Iterable[tuple]) -> SheetTotals:
    """Totals of one sheet.

    ``sections``: objects with ``pk``, ``weight``, ``is_deduction``. ``scores``:
    ``(section_id, indicator_weight, indicator_max, score or None)``.

    An element section earns ``weight × Σ(wᵢ × scoreᵢ / maxᵢ) / Σwᵢ`` (an unscored
    indicator counts 0 and is reported in ``unscored``); the deduction section
    deducts ``min(weight, Σ scoreᵢ)``. total = max(0, Σ elements − deduction).
    """
    sections = list(sections)
    earned: dict[int, Decimal] = {s.pk: ZERO for s in sections}
    weights: dict[int, Decimal] = {s.pk: ZERO for s in sections}
    deducted: dict[int, Decimal] = {s.pk: ZERO for s in sections}
    unscored = 0
    for section_id, weight, max_score, score in scores:
        if score is None:
            unscored += 1
        weights[section_id] += Decimal(weight)
        value = Decimal(score or 0)
        earned[section_id] += Decimal(weight) * value / Decimal(max_score)
        deducted[section_id] += value
    results: dict[int, Decimal] = {}
    element_total = deduction = ZERO
    for s in sections:
        if s.is_deduction:
            value = q2(min(Decimal(s.weight), deducted[s.pk]))
            deduction += value
        else:
            value = q2(Decimal(s.weight) * earned[s.pk] / weights[s.pk]) if weights[s.pk] else ZERO
            element_total += value
        results[s.pk] = value
    total = max(ZERO, element_total - deduction)
    return SheetTotals(results, q2(element_total), q2(deduction), q2(total), unscored)


def competition_ranks(totals: dict) -> dict:
    """Standard competition ranking ("1224"): equal totals share a rank and the next
    rank skips as many places as were shared. ``{key: total}`` → ``{key: rank}``."""
    ordered = sorted(totals.values(), reverse=True)
    first_place: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_place.setdefault(value, position)
    return {key: first_place[value] for key, value in totals.items()}


def grade_for(total: Decimal, bands: Iterable):
    """The band with the highest ``min_score`` that ``total`` reaches (None if the
    scale has no band at or below it)."""
    reached = [b for b in bands if Decimal(total) >= Decimal(b.min_score)]
    return max(reached, key=lambda b: b.min_score, default=None)


def key_supervision_reasons(
    *, band, major_complaints: int, overdue_count: int, overdue_threshold: int
) -> list[str]:
    """Why an institution should be under key supervision next period; empty means no
    proposal. Any one rule is enough."""
    reasons = []
    if band is not None and band.proposes_key_supervision:
        reasons.append(_("考核等级为 %(grade)s") % {"grade": band.label})
    if major_complaints > 0:
        reasons.append(_("考核期内发生重大投诉 %(n)d 件") % {"n": major_complaints})
    if overdue_count >= overdue_threshold:
        reasons.append(
            _("逾期件数 %(n)d 件，达到 %(limit)d 件")
            % {"n": overdue_count, "limit": overdue_threshold}
        )
    return reasons


def raw_value_text(kind: str, value: Decimal | None) -> str:
    """A measured value as a person reads it: a rate with two decimals and a percent
    sign, a count as a whole number (the column keeps four decimals for rates),
    "—" where nothing was measured."""
    if value is None:
        return "—"
    if kind in RATE_KINDS:
        return f"{value:.2f}%"
    return f"{value:.0f}"
