"""The admin pages for the calendar and the rules: who may use them, and what they
refuse."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from deadlines.models import CalendarYear, SlaRule, SlaRuleSet, SlaRuleSetBinding

from .factories import CalendarYearFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")

PAGES = [
    "admin:deadlines_calendarday_changelist",
    "admin:deadlines_calendaryear_changelist",
    "admin:deadlines_slaruleset_changelist",
    "admin:deadlines_slarulesetbinding_changelist",
]


@pytest.mark.parametrize("page", PAGES)
def test_sysadmin_and_regulator_use_the_pages(client, county, page):
    for user in (county.sysadmin, county.regulator):
        client.force_login(user)
        response = client.get(reverse(page))
        assert response.status_code == 200, user


@pytest.mark.parametrize("page", PAGES)
def test_bank_staff_are_sent_to_the_login(client, county, page):
    for user in (county.a_manager, county.a_teller):
        client.force_login(user)
        response = client.get(reverse(page))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_calendar_list_warns_about_a_missing_year(client, county, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI), tick=False)
    client.force_login(county.sysadmin)
    response = client.get(reverse("admin:deadlines_calendarday_changelist"))
    assert [str(m) for m in response.context["messages"]] == [
        "工作日历缺少 2027 年的法定节假日安排：涉及该年份的处理时限暂按周一至周五为工作日计算，"
        "标注为“临时”。请导入国务院办公厅公布的放假安排。"
    ]


def test_mark_loaded_action(client, county):
    year = CalendarYearFactory(year=2027, loaded=False)
    client.force_login(county.sysadmin)
    response = client.post(
        reverse("admin:deadlines_calendaryear_changelist"),
        {"action": "mark_loaded", "_selected_action": [year.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["已将 1 个年度标记为已发布。"]
    assert CalendarYear.objects.get(year=2027).loaded


def _rule_set_post(rules: list[dict]) -> dict:
    data = {
        "code": "new-set",
        "name": "新规则组",
        "description": "",
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for i, rule in enumerate(rules):
        values = {
            "unit": "working_day",
            "base_days": "5",
            "first_extension_days": "0",
            "second_extension_days": "0",
            "extension_approver": "manager",
            "start_of_business": "08:30",
            "close_of_business": "17:00",
            "after_hours_next_day": "on",
            "note": "",
        } | rule
        data |= {f"rules-{i}-{k}": v for k, v in values.items()}
    return data


def test_rule_set_must_cover_both_complexities(client, county):
    client.force_login(county.sysadmin)
    url = reverse("admin:deadlines_slaruleset_add")
    response = client.post(url, _rule_set_post([{"complexity": "simple"}]))
    assert response.status_code == 200
    assert "规则组必须同时包含“一般投诉”和“复杂投诉”的规则" in response.content.decode()
    assert not SlaRuleSet.objects.filter(code="new-set").exists()

    response = client.post(url, _rule_set_post([{"complexity": "any"}]))
    assert response.status_code == 302
    rule = SlaRule.objects.get(rule_set__code="new-set")
    assert (rule.complexity, rule.base_days) == ("any", 5)


@pytest.mark.parametrize(
    "page",
    [
        "admin:deadlines_calendarday_add",
        "admin:deadlines_calendaryear_add",
        "admin:deadlines_slaruleset_add",
        "admin:deadlines_slarulesetbinding_add",
        "admin:deadlines_calendarday_import",
    ],
)
def test_forms_render(client, county, page):
    client.force_login(county.sysadmin)
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert response.context["adminform" if not page.endswith("import") else "form"] is not None


def test_rule_set_change_page_lists_its_rules(client, county, rule_sets):
    client.force_login(county.regulator)
    response = client.get(
        reverse("admin:deadlines_slaruleset_change", args=[rule_sets["cbirc-2020"].pk])
    )
    formset = response.context["inline_admin_formsets"][0].formset
    assert sorted(form.instance.complexity for form in formset.forms) == ["complex", "simple"]


def test_binding_to_an_institution_outside_the_regulators_jurisdiction_is_refused(
    client, county, rule_sets
):
    client.force_login(county.regulator)
    response = client.post(
        reverse("admin:deadlines_slarulesetbinding_add"),
        {"rule_set": rule_sets["cbrc-2012"].pk, "institution": county.bank_x.pk},
    )
    assert response.status_code == 200
    assert "institution" in response.context["adminform"].form.errors
    assert not SlaRuleSetBinding.objects.exists()


def test_binding_by_intake_source(client, county, rule_sets):
    client.force_login(county.sysadmin)
    response = client.post(
        reverse("admin:deadlines_slarulesetbinding_add"),
        {"rule_set": rule_sets["cbirc-2020"].pk, "intake_source": "regulator"},
    )
    assert response.status_code == 302
    binding = SlaRuleSetBinding.objects.get()
    assert (binding.intake_source, binding.institution) == ("regulator", None)
