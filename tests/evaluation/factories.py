"""One factory per evaluation model. Periods built here have no scheme or sheets:
tests that want the real setup call ``services.period_create`` (or
``services.sheets_ensure`` after giving the period a scheme)."""

from datetime import date
from decimal import Decimal

import factory

from evaluation.enums import (
    ComputedKind,
    Direction,
    Formula,
    InspectionKind,
    PeriodKind,
    ScoringMethod,
    SectionKind,
)
from evaluation.models import (
    AppraisalPeriod,
    GradeBand,
    GradeScale,
    Indicator,
    IndicatorScheme,
    IndicatorScore,
    Inspection,
    ScoreSheet,
    Section,
    SelfAssessment,
)
from tests.institutions.factories import InstitutionFactory, RegulatorFactory


class GradeScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeScale
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试等级{n}")


class GradeBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeBand

    scale = factory.SubFactory(GradeScaleFactory)
    label = "A"
    min_score = Decimal("90")


def abcd_scale(name: str = "测试ABCD") -> GradeScale:
    """A ≥ 90 (commended), B ≥ 75, C ≥ 60 (key supervision), D below (disclosed)."""
    scale = GradeScaleFactory(name=name)
    if not scale.bands.exists():
        GradeBandFactory(scale=scale, label="A", min_score=90, is_commended=True)
        GradeBandFactory(scale=scale, label="B", min_score=75)
        GradeBandFactory(scale=scale, label="C", min_score=60, proposes_key_supervision=True)
        GradeBandFactory(
            scale=scale, label="D", min_score=0, is_disclosed=True, proposes_key_supervision=True
        )
    return scale


class IndicatorSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorScheme

    code = factory.Sequence(lambda n: f"SCHEME-{n}")
    name = factory.Sequence(lambda n: f"测试方案{n}")
    grade_scale = factory.LazyFunction(abcd_scale)
    key_supervision_overdue_threshold = 3


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    scheme = factory.SubFactory(IndicatorSchemeFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.Sequence(lambda n: f"要素{n}")
    kind = SectionKind.ELEMENT
    weight = Decimal("50")


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A manual indicator out of 10; pass ``method=computed`` with a kind and formula."""

    class Meta:
        model = Indicator

    section = factory.SubFactory(SectionFactory)
    scheme = factory.SelfAttribute("section.scheme")
    code = factory.Sequence(lambda n: f"I{n}")
    name = factory.Sequence(lambda n: f"指标{n}")
    method = ScoringMethod.MANUAL
    computed_kind = ""
    max_score = Decimal("10")
    weight = Decimal("1")
    formula = ""
    direction = Direction.HIGHER_BETTER


def computed_indicator(section, kind: ComputedKind, **kwargs) -> Indicator:
    defaults = {"formula": Formula.LINEAR, "zero_at": 0, "full_at": 10}
    defaults.update(kwargs)
    return IndicatorFactory(
        section=section, method=ScoringMethod.COMPUTED, computed_kind=kind, **defaults
    )


class AppraisalPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppraisalPeriod

    regulator = factory.SubFactory(RegulatorFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"测试考核期{n}")
    kind = PeriodKind.QUARTER
    starts_on = date(2026, 7, 1)
    ends_on = date(2026, 9, 30)
    self_assessment_due = date(2026, 10, 10)


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreSheet

    period = factory.SubFactory(AppraisalPeriodFactory)
    institution = factory.SubFactory(InstitutionFactory)


class IndicatorScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorScore

    sheet = factory.SubFactory(ScoreSheetFactory)
    indicator = factory.SubFactory(IndicatorFactory)


class SelfAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfAssessment

    period = factory.SubFactory(AppraisalPeriodFactory)
    institution = factory.SubFactory(InstitutionFactory)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    regulator = factory.SubFactory(RegulatorFactory)
    institution = factory.SubFactory(InstitutionFactory)
    kind = InspectionKind.SPECIAL
    subject = "投诉处理专项检查"
    planned_on = date(2026, 11, 15)
