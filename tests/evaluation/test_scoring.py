"""The arithmetic, without the database: formulas, totals, ranks, grades, proposals."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from evaluation.scoring import (
    band_score,
    competition_ranks,
    computed_score,
    format_bands,
    grade_for,
    key_supervision_reasons,
    linear_score,
    parse_bands,
    sheet_totals,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("100", "10.00"), ("90", "5.00"), ("96.67", "8.34"), ("80", "0.00"), ("50", "0.00")],
)
def test_linear_higher_is_better_clips_to_zero_and_max(raw, expected):
    assert linear_score(D(raw), zero_at=D(80), full_at=D(100), max_score=D(10)) == D(expected)


@pytest.mark.parametrize(
    ("raw", "expected"), [("0", "10.00"), ("5", "7.50"), ("20", "0.00"), ("40", "0.00")]
)
def test_linear_lower_is_better_when_full_at_is_below_zero_at(raw, expected):
    assert linear_score(D(raw), zero_at=D(20), full_at=D(0), max_score=D(10)) == D(expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(0, "10"), (5, "10"), (6, "8"), (10, "8"), (20, "6"), (50, "3"), (51, "0")],
)
def test_bands_lower_is_better_take_the_lowest_threshold_reached(raw, expected):
    bands = [[5, 10], [10, 8], [20, 6], [50, 3]]
    assert band_score(D(raw), bands=bands, direction="lower", max_score=D(10)) == D(expected)


@pytest.mark.parametrize(("raw", "expected"), [(0, "0"), (1, "10"), (2, "10")])
def test_bands_higher_is_better_take_the_highest_threshold_reached(raw, expected):
    assert band_score(D(raw), bands=[[1, 10]], direction="higher", max_score=D(10)) == D(expected)


def test_nothing_to_measure_scores_full_marks_and_deducts_nothing():
    indicator = SimpleNamespace(max_score=D(10), formula="linear", zero_at=D(80), full_at=D(100))
    assert computed_score(indicator, None, deduction=False) == D("10.00")
    assert computed_score(indicator, None, deduction=True) == D("0")


def test_bands_text_round_trips():
    assert parse_bands("5:10;10:8；20：6.5") == [[5, 10], [10, 8], [20, 6.5]]
    assert format_bands([[5, 10], [20, 6.5]]) == "5:10;20:6.5"


def _section(pk, weight, deduction=False):
    return SimpleNamespace(pk=pk, weight=D(weight), is_deduction=deduction)


def test_totals_weight_indicators_inside_sections_and_cap_the_deduction():
    sections = [_section(1, 60), _section(2, 40), _section(3, 25, deduction=True)]
    scores = [
        # section 1: weights 3 and 1 → 60 × (3×8/10 + 1×5/10)/4 = 60 × 0.725 = 43.50
        (1, D(3), D(10), D(8)),
        (1, D(1), D(10), D(5)),
        # section 2: one indicator out of 20 → 40 × 15/20 = 30.00
        (2, D(1), D(20), D(15)),
        # deduction: 15 + 20 = 35, capped at 25
        (3, D(1), D(15), D(15)),
        (3, D(1), D(20), D(20)),
    ]
    totals = sheet_totals(sections, scores)
    assert totals.sections == {1: D("43.50"), 2: D("30.00"), 3: D("25.00")}
    assert (totals.element_total, totals.deduction, totals.total, totals.unscored) == (
        D("73.50"),
        D("25.00"),
        D("48.50"),
        0,
    )


def test_unscored_lines_count_zero_and_are_reported():
    totals = sheet_totals([_section(1, 100)], [(1, D(1), D(10), None), (1, D(1), D(10), D(10))])
    assert (totals.total, totals.unscored) == (D("50.00"), 1)


def test_total_never_goes_below_zero():
    sections = [_section(1, 10), _section(2, 25, deduction=True)]
    totals = sheet_totals(sections, [(1, D(1), D(10), D(1)), (2, D(1), D(25), D(20))])
    assert totals.total == D("0.00")


def test_competition_ranking_shares_ranks_and_skips_after_ties():
    ranks = competition_ranks(
        {"a": D("90"), "b": D("85.5"), "c": D("85.50"), "d": D("70"), "e": D("85.5")}
    )
    assert ranks == {"a": 1, "b": 2, "c": 2, "e": 2, "d": 5}
    assert competition_ranks({"x": D(1), "y": D(1)}) == {"x": 1, "y": 1}
    assert competition_ranks({}) == {}


BANDS = [
    SimpleNamespace(label="A", min_score=D(90), proposes_key_supervision=False),
    SimpleNamespace(label="B", min_score=D(75), proposes_key_supervision=False),
    SimpleNamespace(label="C", min_score=D(60), proposes_key_supervision=True),
    SimpleNamespace(label="D", min_score=D(0), proposes_key_supervision=True),
]


@pytest.mark.parametrize(
    ("total", "label"),
    [
        ("100", "A"),
        ("90", "A"),
        ("89.99", "B"),
        ("75", "B"),
        ("74.99", "C"),
        ("60", "C"),
        ("59.99", "D"),
        ("0", "D"),
    ],
)
def test_grade_thresholds_are_inclusive_lower_bounds(total, label):
    assert grade_for(D(total), BANDS).label == label


def test_key_supervision_rules_each_suffice():
    a, c = BANDS[0], BANDS[2]
    assert (
        key_supervision_reasons(band=a, major_complaints=0, overdue_count=2, overdue_threshold=3)
        == []
    )
    assert key_supervision_reasons(
        band=c, major_complaints=0, overdue_count=0, overdue_threshold=3
    ) == ["考核等级为 C"]
    assert key_supervision_reasons(
        band=a, major_complaints=1, overdue_count=0, overdue_threshold=3
    ) == ["考核期内发生重大投诉 1 件"]
    assert key_supervision_reasons(
        band=a, major_complaints=0, overdue_count=3, overdue_threshold=3
    ) == ["逾期件数 3 件，达到 3 件"]
    assert (
        len(
            key_supervision_reasons(
                band=c, major_complaints=2, overdue_count=5, overdue_threshold=3
            )
        )
        == 3
    )
