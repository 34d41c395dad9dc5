"""The office's admin pages: period overview, actions recompute / publish / export,
the inline score sheet, key-supervision decisions, evidence uploads."""

import re
from decimal import Decimal as D
from io import BytesIO

import openpyxl
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import services
from evaluation.enums import PeriodStatus
from evaluation.models import AppraisalPeriod, Evidence, IndicatorScore
from tests.institutions.factories import InstitutionFactory

from .conftest import at
from .test_services import PDF


def _form_data(response) -> dict:
    """What the browser would post back for the change form as rendered."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        put(formset.management_form)
        for form in formset.forms:
            put(form)
    data["_continue"] = "1"
    return data


def _overview(client, period):
    return client.get(reverse("admin:evaluation_appraisalperiod_overview", args=[period.pk]))


def test_overview_shows_totals_ranks_grades_and_lists(client, published, county):
    client.force_login(county.regulator)
    response = _overview(client, published.period)
    assert response.status_code == 200
    rows = [
        (s.institution.code, s.rank, s.total, s.grade, s.final_key_supervision)
        for s in response.context["sheets"]
    ]
    assert rows == [("BANK-A", 1, D("100.00"), "A", False), ("BANK-B", 2, D("58.00"), "D", True)]
    assert [s.institution.code for s in response.context["key_supervision"]] == ["BANK-B"]
    body = response.content.decode()
    assert 'data-testid="recompute"' not in body  # published: no more scoring
    assert 'data-testid="create-next"' in body


def test_overview_query_count_does_not_grow_with_institutions(client, small, county):
    client.force_login(county.regulator)
    _overview(client, small.period)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as two:
        _overview(client, small.period)
    for n in range(3):
        InstitutionFactory(code=f"MORE-{n}", regulator=county.pbc)
    services.sheets_ensure(small.period)
    with CaptureQueriesContext(connection) as five:
        response = _overview(client, small.period)
    assert len(response.context["sheets"]) == 5
    assert len(five) == len(two)


def test_recompute_and_publish_buttons(client, small, county):
    client.force_login(county.regulator)
    publish = reverse("admin:evaluation_appraisalperiod_publish", args=[small.period.pk])
    response = client.post(publish, follow=True)
    assert "还有 2 项人工评分指标未评分。" in response.content.decode()
    assert AppraisalPeriod.objects.get(pk=small.period.pk).status == PeriodStatus.OPEN
    small.manual(county.bank_a, 9)
    small.manual(county.bank_b, 9)
    client.post(reverse("admin:evaluation_appraisalperiod_recompute", args=[small.period.pk]))
    assert AppraisalPeriod.objects.get(pk=small.period.pk).computed_at is not None
    response = client.post(publish, follow=True)
    assert "考核结果已发布。" in response.content.decode()
    assert AppraisalPeriod.objects.get(pk=small.period.pk).status == PeriodStatus.PUBLISHED


def test_sysadmin_reads_but_cannot_recompute(client, small, county):
    client.force_login(county.sysadmin)
    assert _overview(client, small.period).status_code == 200
    response = client.post(
        reverse("admin:evaluation_appraisalperiod_recompute", args=[small.period.pk])
    )
    assert response.status_code == 403
    assert AppraisalPeriod.objects.get(pk=small.period.pk).computed_at is None


def test_changelist_actions_recompute_publish_export(client, small, county):
    client.force_login(county.regulator)
    small.manual(county.bank_a, 10)
    small.manual(county.bank_b, 3)
    url = reverse("admin:evaluation_appraisalperiod_changelist")
    client.post(url, {"action": "recompute_selected", "_selected_action": [small.period.pk]})
    assert AppraisalPeriod.objects.get(pk=small.period.pk).computed_at is not None
    client.post(url, {"action": "publish_selected", "_selected_action": [small.period.pk]})
    assert AppraisalPeriod.objects.get(pk=small.period.pk).status == PeriodStatus.PUBLISHED
    response = client.post(
        url, {"action": "export_selected", "_selected_action": [small.period.pk]}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:9] == (
        "考核期",
        "机构代码",
        "机构名称",
        "要素得分",
        "扣分",
        "总分",
        "排名",
        "等级",
        "重大投诉",
    )
    assert rows[1][:8] == ("2026年第三季度", "BANK-A", "甲银行测试支行", 100, 0, 100, 1, "A")
    assert rows[2][5:8] == (58, 2, "D")
    assert rows[2][10] == "是"
    assert all(isinstance(v, (int, float)) for v in rows[2][3:7])


def test_period_export_view_gives_xlsx(client, published, county):
    client.force_login(county.regulator)
    response = client.get(
        reverse("admin:evaluation_appraisalperiod_export", args=[published.period.pk])
    )
    rows = list(
        openpyxl.load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert [r[1] for r in rows[1:]] == ["BANK-A", "BANK-B"]


def test_inline_score_sheet_scores_through_the_service(client, small, county):
    client.force_login(county.regulator)
    sheet = small.sheet(county.bank_a)
    url = reverse("admin:evaluation_scoresheet_change", args=[sheet.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = _form_data(page)
    manual = IndicatorScore.objects.get(sheet=sheet, indicator=small.m)
    lines = {
        f.instance.pk: f.prefix for f in page.context["inline_admin_formsets"][0].formset.forms
    }
    # Over the maximum: the line shows the error and nothing is saved.
    data[f"{lines[manual.pk]}-score"] = "12"
    data[f"{lines[manual.pk]}-reason"] = "制度健全"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "超出范围" in response.content.decode()
    manual.refresh_from_db()
    assert manual.score is None
    data[f"{lines[manual.pk]}-score"] = "8"
    response = client.post(url, data)
    assert response.status_code == 302
    manual.refresh_from_db()
    assert (manual.score, manual.reason, manual.scored_by) == (
        D("8.00"),
        "制度健全",
        county.regulator,
    )
    assert small.sheet(county.bank_a).total == D("48.00")
    assert response.url == url  # 保存并继续编辑
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "已保存甲银行测试支行的评分表：总分 48.00，等级 D，未评分 2 项。"
    ]
    # The computed line cannot be changed from the form.
    computed = IndicatorScore.objects.get(sheet=sheet, indicator=small.c)
    data[f"{lines[computed.pk]}-score"] = "10"
    client.post(url, data)
    computed.refresh_from_db()
    assert computed.score is None


def test_key_supervision_override_needs_a_reason_in_the_admin(client, small, county):
    client.force_login(county.regulator)
    small.manual(county.bank_b, 3)
    sheet = small.sheet(county.bank_b)
    url = reverse("admin:evaluation_scoresheet_change", args=[sheet.pk])
    data = _form_data(client.get(url))
    data["key_supervision"] = "0"
    response = client.post(url, data)
    assert "与系统建议不一致时，须填写调整理由。" in response.content.decode()
    data["key_supervision_reason"] = "已整改到位"
    assert client.post(url, data).status_code == 302
    sheet.refresh_from_db()
    assert (sheet.key_supervision, sheet.key_supervision_reason) == (False, "已整改到位")


def test_evidence_is_uploaded_from_the_sheet(client, small, county):
    client.force_login(county.regulator)
    sheet = small.sheet(county.bank_a)
    url = reverse("admin:evaluation_scoresheet_change", args=[sheet.pk])
    data = _form_data(client.get(url))
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-indicator": str(small.m.pk),
            "evidence-0-description": "现场检查记录",
        }
    )
    bad = client.post(url, {**data, "evidence-0-file": SimpleUploadedFile("x.pdf", b"<svg/>")})
    assert "文件类型不被接受" in bad.content.decode()
    assert not Evidence.objects.exists()
    client.post(url, {**data, "evidence-0-file": SimpleUploadedFile("记录.pdf", PDF)})
    evidence = Evidence.objects.get()
    assert (evidence.indicator, evidence.uploaded_by, evidence.original_name) == (
        small.m,
        county.regulator,
        "记录.pdf",
    )


def test_published_sheet_is_read_only(client, published, county):
    client.force_login(county.regulator)
    sheet = published.sheet(county.bank_b)
    url = reverse("admin:evaluation_scoresheet_change", args=[sheet.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.post(url, _form_data(page)).status_code == 403


def test_adding_a_period_in_the_admin_sets_it_up(client, county):
    client.force_login(county.regulator)
    response = client.post(
        reverse("admin:evaluation_appraisalperiod_add"),
        {
            "regulator": county.pbc.pk,
            "kind": "half_year",
            "code": "2026H2",
            "name": "2026年下半年",
            "starts_on": "2026-07-01",
            "ends_on": "2026-12-31",
            "self_assessment_due": "2027-01-10",
        },
    )
    assert response.status_code == 302
    period = AppraisalPeriod.objects.get(code="2026H2")
    assert period.scheme.copied_from.is_template
    assert period.sheets.count() == 2


def test_other_regulator_cannot_add_a_period_for_our_office(client, county):
    client.force_login(county.other_regulator)
    response = client.post(
        reverse("admin:evaluation_appraisalperiod_add"),
        {"regulator": county.pbc.pk, "kind": "quarter", "code": "X", "name": "X",
         "starts_on": "2026-07-01", "ends_on": "2026-09-30"},
    )  # fmt: skip
    assert response.status_code == 200  # the office is not a valid choice
    assert not AppraisalPeriod.objects.exists()


def test_every_evaluation_admin_page_renders_for_the_office(client, published, county):
    from evaluation.models import GradeScale, Indicator, Inspection, SelfAssessment
    from tests.evaluation.factories import InspectionFactory, SelfAssessmentFactory

    own = SelfAssessmentFactory(period=published.period, institution=county.bank_a)
    inspection = InspectionFactory(regulator=county.pbc, institution=county.bank_b)
    client.force_login(county.regulator)
    pages = [
        reverse("admin:app_list", args=["evaluation"]),
        reverse("admin:evaluation_indicatorscheme_change", args=[published.scheme.pk]),
        reverse("admin:evaluation_indicator_changelist"),
        reverse(
            "admin:evaluation_indicator_change",
            args=[Indicator.objects.filter(scheme__is_template=True).first().pk],
        ),
        reverse("admin:evaluation_gradescale_change", args=[GradeScale.objects.first().pk]),
        reverse("admin:evaluation_selfassessment_change", args=[own.pk]),
        reverse("admin:evaluation_inspection_add"),
        reverse("admin:evaluation_inspection_change", args=[inspection.pk]),
        reverse("admin:evaluation_appraisallog_changelist"),
        reverse("admin:evaluation_indicatorscore_changelist"),
        reverse("admin:evaluation_indicatorscore_export"),
        reverse("admin:evaluation_appraisalperiod_change", args=[published.period.pk]),
        reverse("admin:evaluation_appraisalperiod_add"),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert SelfAssessment.objects.count() == 1
    assert Inspection.objects.count() == 1


def test_an_inspection_finding_opens_a_rectification_item(client, county):
    from tests.evaluation.factories import InspectionFactory

    inspection = InspectionFactory(
        regulator=county.pbc, institution=county.bank_b, subject="理财销售专项检查"
    )
    client.force_login(county.regulator)
    page = client.get(reverse("admin:evaluation_inspection_change", args=[inspection.pk]))
    link = re.search(r'href="([^"]*source=inspection[^"]*)"', page.content.decode())
    assert link, "no rectification link on the inspection"
    url = link.group(1).replace("&amp;", "&")
    form = client.get(url)
    assert form.status_code == 200
    body = form.content.decode()
    assert "理财销售专项检查" in body
    assert f'value="{county.bank_b.pk}" selected' in body


def test_sheet_shows_counts_as_whole_numbers_and_rates_as_percent(client, small, county):
    from evaluation import scoring
    from evaluation.enums import ComputedKind

    assert scoring.raw_value_text(ComputedKind.MAJOR_COMPLAINTS, D("0.0000")) == "0"
    assert scoring.raw_value_text(ComputedKind.COMPLAINTS_RECEIVED, D("12.0000")) == "12"
    assert scoring.raw_value_text(ComputedKind.ON_TIME_RATE, D("95.5000")) == "95.50%"
    assert scoring.raw_value_text(ComputedKind.ON_TIME_RATE, None) == "—"
    services.period_recompute(
        actor=county.regulator, period=small.period, as_of=at("2026-10-01 09:00")
    )
    client.force_login(county.regulator)
    sheet = small.sheet(county.bank_a)
    body = client.get(reverse("admin:evaluation_scoresheet_change", args=[sheet.pk]))
    body = body.content.decode()
    assert "0.0000" not in body
    # M is scored by hand (nothing measured); C counts complaints, D major ones.
    assert re.findall(r'field-raw_value_display">\s*<p>([^<]*)</p>', body) == ["—", "0", "0"]
    listed = client.get(reverse("admin:evaluation_indicatorscore_changelist")).content.decode()
    assert "0.0000" not in listed
    assert re.findall(r'field-raw_value_display">([^<]*)</td>', listed).count("0") == 4
