"""Appraisal fixtures on the test county (tests/conftest.py): the third quarter of
2026 run by the county office over bank A (with its two outlets) and bank B."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from evaluation import services
from evaluation.enums import ComputedKind, PeriodKind, SectionKind
from evaluation.models import AppraisalPeriod, IndicatorScore
from tests.evaluation.factories import (
    AppraisalPeriodFactory,
    IndicatorFactory,
    IndicatorSchemeFactory,
    SectionFactory,
    computed_indicator,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """ "2026-07-05 10:00" in China time."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def period(county) -> AppraisalPeriod:
    """2026Q3 with the default scheme (copied from the template), sheets for bank A
    and bank B."""
    return services.period_create(
        actor=county.regulator,
        regulator=county.pbc,
        kind=PeriodKind.QUARTER,
        starts_on=date(2026, 7, 1),
    )


class Small:
    """A hand-checkable scheme: 质量 (60 points, one manual indicator M out of 10),
    投诉 (40 points, computed 受理投诉量 C: bands lower-is-better 0→10, 2→5) and a
    deduction section (cap 25) with 重大投诉 D: linear 0→0, 2→10 (5 per case)."""

    def __init__(self, county):
        self.scheme = IndicatorSchemeFactory(code="SMALL", name="小方案")
        self.quality = SectionFactory(scheme=self.scheme, code="Q", name="质量", weight=60, order=1)
        self.disputes = SectionFactory(
            scheme=self.scheme, code="C", name="投诉", weight=40, order=2
        )
        self.deduct = SectionFactory(
            scheme=self.scheme,
            code="D",
            name="扣分",
            weight=25,
            kind=SectionKind.DEDUCTION,
            order=3,
        )
        self.m = IndicatorFactory(section=self.quality, code="M", name="制度建设")
        self.c = computed_indicator(
            self.disputes,
            ComputedKind.COMPLAINTS_RECEIVED,
            code="C",
            formula="bands",
            bands=[[0, 10], [2, 5]],
            direction="lower",
            zero_at=None,
            full_at=None,
        )
        self.d = computed_indicator(
            self.deduct, ComputedKind.MAJOR_COMPLAINTS, code="D", zero_at=0, full_at=2
        )
        self.period = AppraisalPeriodFactory(
            regulator=county.pbc, code="2026Q3", name="2026年第三季度", scheme=self.scheme
        )
        services.sheets_ensure(self.period)
        self.county = county

    def sheet(self, institution):
        return self.period.sheets.get(institution=institution)

    def score(self, institution, indicator) -> IndicatorScore:
        return IndicatorScore.objects.get(
            sheet__period=self.period, sheet__institution=institution, indicator=indicator
        )

    def manual(self, institution, value, reason="依据检查记录"):
        return services.score_record(
            actor=self.county.regulator,
            score=self.score(institution, self.m),
            value=value,
            reason=reason,
        )


@pytest.fixture
def small(county) -> Small:
    return Small(county)


@pytest.fixture
def published(small, county) -> Small:
    """The small period published: bank A 100 (A, commended, rank 1), bank B 58 (D,
    disclosed, key supervision, rank 2)."""
    small.manual(county.bank_a, 10)
    small.manual(county.bank_b, 3, reason="制度缺失")
    services.period_recompute(
        actor=county.regulator, period=small.period, as_of=at("2026-10-01 09:00")
    )
    small.period = services.period_publish(actor=county.regulator, period=small.period)
    return small
