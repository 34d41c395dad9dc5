import datetime

import factory

from deadlines.enums import CalendarSource, DayUnit, RuleComplexity
from deadlines.models import CalendarDay, CalendarYear, SlaRule, SlaRuleSet, SlaRuleSetBinding


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay
        django_get_or_create = ("date",)

    date = factory.Sequence(lambda n: datetime.date(2030, 1, 1) + datetime.timedelta(days=n))
    is_workday = False
    name = "测试假日"
    source = CalendarSource.MANUAL


class CalendarYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2030 + n)
    loaded = True
    source = CalendarSource.MANUAL


class SlaRuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaRuleSet
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-set-{n}")
    name = factory.Sequence(lambda n: f"测试规则组{n}")
    is_default = False


class SlaRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaRule

    rule_set = factory.SubFactory(SlaRuleSetFactory)
    complexity = RuleComplexity.COMPLEX
    unit = DayUnit.WORKING_DAY
    base_days = 3
    close_of_business = datetime.time(17, 0)


class SlaRuleSetBindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaRuleSetBinding

    rule_set = factory.SubFactory(SlaRuleSetFactory)
    institution = None
    intake_source = ""
