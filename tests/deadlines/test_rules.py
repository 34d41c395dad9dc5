"""Rule sets as data, and which rule applies to a complaint."""

import datetime
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from complaints.enums import Complexity, IntakeSource
from deadlines.enums import DayUnit, RuleComplexity
from deadlines.models import CalendarRevision, SlaRule, SlaRuleSet, SlaRuleSetBinding
from deadlines.reference import load_sla_rules
from deadlines.services import rule_for, snapshot
from tests.institutions.factories import InstitutionFactory

from .factories import SlaRuleFactory, SlaRuleSetBindingFactory, SlaRuleSetFactory


def _values(rule: SlaRule) -> tuple:
    return (
        rule.unit,
        rule.base_days,
        rule.first_extension_days,
        rule.second_extension_days,
        rule.extension_approver,
        rule.close_of_business,
        rule.start_of_business,
        rule.after_hours_next_day,
    )


def test_seeded_rule_sets(rule_sets):
    assert sorted(rule_sets) == ["cbirc-2020", "cbrc-2012", "county-service-promise"]
    assert [s.code for s in SlaRuleSet.objects.filter(is_default=True)] == [
        "county-service-promise"
    ]
    rules = {
        (r.rule_set.code, r.complexity): _values(r)
        for r in SlaRule.objects.select_related("rule_set")
    }
    cob, start = datetime.time(17, 0), datetime.time(8, 30)
    assert rules == {
        ("county-service-promise", "simple"): ("working_day", 0, 0, 0, "manager", cob, start, True),
        ("county-service-promise", "complex"): (
            "working_day",
            3,
            0,
            0,
            "manager",
            cob,
            start,
            True,
        ),
        ("cbirc-2020", "simple"): ("calendar_day", 15, 0, 0, "manager", cob, start, True),
        ("cbirc-2020", "complex"): ("calendar_day", 15, 15, 30, "manager", cob, start, True),
        ("cbrc-2012", "any"): ("working_day", 15, 45, 0, "manager", cob, start, True),
    }


def test_rule_notes_keep_the_source_and_the_approver():
    rule = SlaRule.objects.get(rule_set__code="cbirc-2020", complexity="complex")
    assert rule.note.startswith("《银行业保险业消费投诉处理管理办法》(2020)")
    assert rule.note.endswith(
        "延期审批：senior management of the parent institution or head office"
    )


def test_describe():
    assert SlaRule(base_days=0).describe() == "当日办结"
    assert SlaRule(base_days=3, unit=DayUnit.WORKING_DAY).describe() == "3 个工作日"
    assert SlaRule(base_days=15, unit=DayUnit.CALENDAR_DAY).describe() == "15 日（自然日）"


def test_load_sla_rules_twice_changes_nothing():
    result = load_sla_rules()
    assert (result.sets_created, result.rules_created) == (0, 0)
    assert SlaRule.objects.count() == 5


def test_load_sla_rules_keeps_admin_edits_unless_told(county_rule):
    SlaRule.objects.filter(pk=county_rule("complex").pk).update(base_days=5)
    load_sla_rules()
    assert county_rule("complex").base_days == 5
    result = load_sla_rules(update=True)
    assert (result.sets_updated, result.rules_updated) == (3, 5)
    assert county_rule("complex").base_days == 3


def test_load_sla_rules_does_not_steal_the_default():
    SlaRuleSet.objects.all().delete()
    SlaRuleSetFactory(code="own", is_default=True)
    load_sla_rules()
    assert list(SlaRuleSet.objects.filter(is_default=True).values_list("code", flat=True)) == [
        "own"
    ]


def test_complexity_codes_match_the_complaints_app():
    assert set(Complexity.values) | {"any"} == set(RuleComplexity.values)
    assert set(IntakeSource.values) == {
        "phone",
        "book",
        "walk_in",
        "letter",
        "online",
        "media",
        "government",
        "regulator",
        "hotline_12363",
        "hotline_12378",
    }


# --- Resolution ----------------------------------------------------------------------


def test_default_set_without_bindings(county):
    rule = rule_for(complexity="complex", intake_source="phone", institution=county.a_out1)
    assert (rule.rule_set.code, rule.complexity) == ("county-service-promise", "complex")


def test_institution_binding_applies_to_its_subtree(county, rule_sets):
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbrc-2012"], institution=county.bank_a)
    for inst in (county.bank_a, county.a_out1, county.a_out2):
        rule = rule_for(complexity="simple", intake_source="walk_in", institution=inst)
        assert (rule.rule_set.code, rule.complexity) == ("cbrc-2012", "any")
    other = rule_for(complexity="simple", intake_source="walk_in", institution=county.b_out1)
    assert other.rule_set.code == "county-service-promise"


def test_nearest_institution_binding_wins(county, rule_sets):
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbrc-2012"], institution=county.bank_a)
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbirc-2020"], institution=county.a_out1)
    near = rule_for(complexity="complex", intake_source="phone", institution=county.a_out1)
    far = rule_for(complexity="complex", intake_source="phone", institution=county.a_out2)
    assert (near.rule_set.code, far.rule_set.code) == ("cbirc-2020", "cbrc-2012")


def test_intake_source_binding_wins_over_institution(county, rule_sets):
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbrc-2012"], institution=county.a_out1)
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbirc-2020"], intake_source="regulator")
    transfer = rule_for(complexity="complex", intake_source="regulator", institution=county.a_out1)
    walk_in = rule_for(complexity="complex", intake_source="walk_in", institution=county.a_out1)
    assert (transfer.rule_set.code, walk_in.rule_set.code) == ("cbirc-2020", "cbrc-2012")


def test_without_institution_or_source_the_default_applies(rule_sets):
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbirc-2020"], intake_source="regulator")
    rule = rule_for(complexity="simple", intake_source="", institution=None)
    assert rule.rule_set.code == "county-service-promise"


def test_bound_set_without_the_complexity_falls_through(county, rule_sets, caplog):
    partial = SlaRuleSetFactory(code="media-only-simple")
    SlaRuleFactory(rule_set=partial, complexity="simple", base_days=1)
    SlaRuleSetBindingFactory(rule_set=partial, intake_source="media")
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbirc-2020"], institution=county.bank_a)
    with caplog.at_level(logging.WARNING, logger="deadlines.selectors"):
        rule = rule_for(complexity="complex", intake_source="media", institution=county.a_out1)
    assert rule.rule_set.code == "cbirc-2020"
    assert "media-only-simple has no rule for complexity complex" in caplog.text
    simple = rule_for(complexity="simple", intake_source="media", institution=county.a_out1)
    assert simple.rule_set.code == "media-only-simple"


def test_no_rule_at_all_raises(county):
    SlaRuleSet.objects.all().delete()
    with pytest.raises(SlaRule.DoesNotExist, match="没有适用于“复杂投诉”的时限规则"):
        rule_for(complexity="complex", intake_source="phone", institution=county.a_out1)


def test_unknown_complexity_is_refused(county):
    with pytest.raises(ValueError, match="unknown complexity"):
        rule_for(complexity="any", intake_source="phone", institution=county.a_out1)


def test_rule_resolution_costs_one_query_once_loaded(county, rule_sets, django_assert_num_queries):
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbrc-2012"], institution=county.bank_a)
    rule_for(complexity="simple", intake_source="phone", institution=county.a_out1)
    with django_assert_num_queries(1):  # the revision token
        rule = rule_for(complexity="simple", intake_source="phone", institution=county.a_out1)
    assert rule.rule_set.code == "cbrc-2012"


def test_rule_edits_are_seen_at_once(county, rule_sets):
    """The rule book is cached per process; every write through the ORM (the admin,
    an import) changes the revision token, so the next lookup sees it."""
    assert (
        rule_for(complexity="complex", intake_source="", institution=county.a_out1).base_days == 3
    )
    binding = SlaRuleSetBindingFactory(rule_set=rule_sets["cbirc-2020"], institution=county.bank_a)
    assert (
        rule_for(complexity="complex", intake_source="", institution=county.a_out1).base_days == 15
    )
    rule = SlaRule.objects.get(rule_set__code="cbirc-2020", complexity="complex")
    rule.base_days = 10
    rule.save()
    assert (
        rule_for(complexity="complex", intake_source="", institution=county.a_out1).base_days == 10
    )
    binding.delete()
    assert (
        rule_for(complexity="complex", intake_source="", institution=county.a_out1).base_days == 3
    )


def test_a_deleted_institution_takes_its_binding_out_of_the_rule_book(county, rule_sets):
    outlet = InstitutionFactory(parent=county.a_out1)
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbirc-2020"], institution=outlet)
    assert rule_for(complexity="complex", intake_source="", institution=outlet).base_days == 15
    outlet_pk = outlet.pk
    outlet.delete()  # the binding goes with it (CASCADE), its signal with it
    assert outlet_pk not in snapshot().rules.by_institution


def test_a_change_by_another_process_is_seen_through_the_revision_token(county, rule_sets):
    rule_for(complexity="complex", intake_source="", institution=county.a_out1)  # cached
    # Another process writes without our signals firing here, then bumps the token.
    SlaRule.objects.filter(rule_set__is_default=True, complexity="complex").update(base_days=4)
    assert (
        rule_for(complexity="complex", intake_source="", institution=county.a_out1).base_days == 3
    )
    CalendarRevision.objects.update_or_create(pk=1, defaults={"token": "another-process"})
    assert (
        rule_for(complexity="complex", intake_source="", institution=county.a_out1).base_days == 4
    )


# --- Constraints ---------------------------------------------------------------------


def test_binding_needs_exactly_one_target(county, rule_sets):
    both = SlaRuleSetBinding(
        rule_set=rule_sets["cbrc-2012"], institution=county.bank_a, intake_source="phone"
    )
    neither = SlaRuleSetBinding(rule_set=rule_sets["cbrc-2012"])
    for binding in (both, neither):
        with pytest.raises(ValidationError, match="请选择机构或受理渠道中的一项"):
            binding.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            binding.save()


def test_one_binding_per_source_and_per_institution(county, rule_sets):
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbrc-2012"], intake_source="phone")
    SlaRuleSetBindingFactory(rule_set=rule_sets["cbrc-2012"], institution=county.bank_a)
    with pytest.raises(ValidationError, match="该受理渠道已指定规则组"):
        SlaRuleSetBinding(rule_set=rule_sets["cbirc-2020"], intake_source="phone").full_clean()
    with pytest.raises(ValidationError, match="该机构已指定规则组"):
        SlaRuleSetBinding(rule_set=rule_sets["cbirc-2020"], institution=county.bank_a).full_clean()


def test_one_default_set_only():
    with pytest.raises(ValidationError, match="只能有一个默认规则组"):
        SlaRuleSet(code="second", name="第二个", is_default=True).full_clean()


def test_business_hours_must_be_ordered(rule_sets):
    rule = SlaRule(
        rule_set=SlaRuleSetFactory(),
        complexity="simple",
        base_days=0,
        start_of_business=datetime.time(18, 0),
        close_of_business=datetime.time(17, 0),
    )
    with pytest.raises(ValidationError, match="营业开始时间必须早于营业终了时间"):
        rule.full_clean()
