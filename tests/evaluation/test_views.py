"""The institution's pages and the permission boundaries: an institution sees only
its own published sheet and rank; nobody but the office's staff scores; another
county's regulator sees nothing."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import SelfAssessment
from institutions.enums import Role
from tests.institutions.factories import UserFactory

from .test_services import PDF


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_manager_sees_own_result_with_rank_and_not_the_others(client, published, county):
    response = _get(client, county.a_manager, reverse("evaluation:home"))
    body = response.content.decode()
    rows = list(response.context["results"])
    assert [(s.institution.code, s.rank, s.institution_count, s.grade) for s in rows] == [
        ("BANK-A", 1, 2, "A")
    ]
    assert "第 1 名（共 2 家）" in body
    assert "乙银行测试支行" not in body
    own = published.sheet(county.bank_a)
    page = client.get(reverse("evaluation:sheet", args=[own.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    for expected in ("甲银行测试支行", "第 1 名（共 2 家）", "100.00"):
        assert expected in text
    assert "乙银行" not in text


def test_another_institutions_sheet_is_not_found(client, published, county):
    other = published.sheet(county.bank_b)
    assert (
        _get(client, county.a_manager, reverse("evaluation:sheet", args=[other.pk])).status_code
        == 404
    )
    assert (
        _get(client, county.b_manager, reverse("evaluation:sheet", args=[other.pk])).status_code
        == 200
    )
    assert (
        _get(client, county.b_manager, reverse("evaluation:sheet", args=[999999])).status_code
        == 404
    )


def test_outlet_manager_reads_the_banks_result_but_tellers_do_not(client, published, county):
    outlet_manager = UserFactory(username="a2_mgr", role=Role.MANAGER, institution=county.a_out2)
    own = published.sheet(county.bank_a)
    assert (
        _get(client, outlet_manager, reverse("evaluation:sheet", args=[own.pk])).status_code == 200
    )
    assert (
        _get(client, county.a_teller, reverse("evaluation:sheet", args=[own.pk])).status_code == 404
    )
    assert _get(client, county.a_handler, reverse("evaluation:home")).status_code == 403


def test_nothing_is_shown_before_publication(client, small, county):
    small.manual(county.bank_a, 10)
    own = small.sheet(county.bank_a)
    assert (
        _get(client, county.a_manager, reverse("evaluation:sheet", args=[own.pk])).status_code
        == 404
    )
    assert list(_get(client, county.a_manager, reverse("evaluation:home")).context["results"]) == []


def test_other_county_regulator_sees_nothing(client, published, county):
    client.force_login(county.other_regulator)
    sheet = published.sheet(county.bank_a)
    assert client.get(reverse("evaluation:sheet", args=[sheet.pk])).status_code == 404
    assert client.get(reverse("evaluation:notice", args=[published.period.pk])).status_code == 404
    assert (
        client.get(
            reverse("admin:evaluation_appraisalperiod_overview", args=[published.period.pk])
        ).status_code
        == 404
    )
    changelist = client.get(reverse("admin:evaluation_scoresheet_changelist"))
    assert changelist.context["cl"].result_count == 0
    change = client.get(reverse("admin:evaluation_scoresheet_change", args=[sheet.pk]))
    assert change.status_code == 404  # not found, like a missing id
    assert list(client.get(reverse("evaluation:home")).context["periods"]) == []


@pytest.mark.parametrize("who", ["a_manager", "a_teller", "b_manager"])
def test_admin_pages_refuse_bank_staff(client, published, county, who):
    user = getattr(county, who)
    client.force_login(user)
    for url in (
        reverse("admin:evaluation_appraisalperiod_overview", args=[published.period.pk]),
        reverse("admin:evaluation_scoresheet_changelist"),
        reverse("admin:evaluation_indicatorscore_import"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url
    assert not user.has_perm("evaluation.score")
    assert not user.has_perm("evaluation.change_indicatorscore")


def test_staff_flag_alone_does_not_open_the_appraisal(client, published, county):
    county.a_manager.is_staff = True
    county.a_manager.save()
    client.force_login(county.a_manager)
    url = reverse("admin:evaluation_appraisalperiod_overview", args=[published.period.pk])
    assert client.get(url).status_code == 403
    sheet = published.sheet(county.bank_b)
    assert (
        client.get(reverse("admin:evaluation_scoresheet_change", args=[sheet.pk])).status_code
        == 403
    )


def test_notice_reaches_the_jurisdiction_once_published(client, published, county):
    url = reverse("evaluation:notice", args=[published.period.pk])
    response = _get(client, county.b_manager, url)
    assert response.status_code == 200
    x_manager = UserFactory(username="x_mgr", role=Role.MANAGER, institution=county.bank_x)
    assert _get(client, x_manager, url).status_code == 404
    assert _get(client, county.a_teller, url).status_code == 404


def test_notice_lists_commended_and_disclosed(client, published, county):
    response = _get(
        client, county.regulator, reverse("evaluation:notice", args=[published.period.pk])
    )
    notice = response.context["notice"]
    assert [s.institution.code for s in notice.commended] == ["BANK-A"]
    assert [s.institution.code for s in notice.disclosed] == ["BANK-B"]
    assert notice.grade_counts == [("A", 1), ("B", 0), ("C", 0), ("D", 1)]
    body = response.content.decode()
    assert "关于2026年第三季度金融消费者权益保护工作考核评价结果的通报" in body
    assert "对辖内 2 家金融机构" in body
    commended = body.split('data-testid="notice-commended"')[1].split("</ol>")[0]
    disclosed = body.split('data-testid="notice-disclosed"')[1].split("</ol>")[0]
    assert "甲银行测试支行（A）" in commended
    assert "乙银行" not in commended
    # The real reason, not the note the publication leaves in the decision record.
    b = published.sheet(county.bank_b)
    assert (
        f"乙银行测试支行（D）：考核等级 D；重大投诉 {b.major_complaints} 件；"
        f"逾期 {b.overdue_count} 件；列为下期重点监管" in disclosed
    )
    assert "发布时按系统建议确认" not in body
    # Every appraised institution with its scores, rank and grade (the issue asks
    # for scores in the notice; docs/evaluation.md).
    assert [(s.institution.code, s.rank, s.total, s.grade) for s in notice.results] == [
        ("BANK-A", 1, D("100.00"), "A"),
        ("BANK-B", 2, D("58.00"), "D"),
    ]
    table = body.split('data-testid="notice-results"')[1].split("</table>")[0]
    assert '<tr data-institution="BANK-A"><td>1</td><td>甲银行测试支行</td>' in table
    assert '<td class="num">58.00</td><td>D</td>' in table


def test_unpublished_notice_is_not_found(client, small, county):
    assert (
        _get(
            client, county.regulator, reverse("evaluation:notice", args=[small.period.pk])
        ).status_code
        == 404
    )


def test_self_assessment_page_saves_and_submits(client, period, county):
    client.force_login(county.a_manager)
    url = reverse("evaluation:self_assessment", args=[period.pk])
    page = client.get(url)
    assert page.status_code == 200
    sections = list(period.scheme.sections.all())
    data = {f"text_{s.pk}": f"{s.name}工作情况" for s in sections}
    data.update({f"score_{s.pk}": "5" for s in sections})
    data["problems_and_measures"] = "已整改"
    data["submit"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302
    own = SelfAssessment.objects.get(period=period, institution=county.bank_a)
    assert (own.status, own.entries.count(), own.problems_and_measures) == (
        "submitted",
        6,
        "已整改",
    )
    # Locked after reporting: a second post changes nothing.
    data["problems_and_measures"] = "改写"
    client.post(url, data)
    own.refresh_from_db()
    assert own.problems_and_measures == "已整改"


def test_self_assessment_refuses_a_score_over_the_section(client, period, county):
    client.force_login(county.a_manager)
    org = period.scheme.sections.get(code="ORG")
    response = client.post(
        reverse("evaluation:self_assessment", args=[period.pk]),
        {f"score_{org.pk}": "11", "save": "1"},
    )
    assert response.status_code == 200
    assert "10" in str(response.context["form"].errors[f"score_{org.pk}"])
    assert not SelfAssessment.objects.exists()


def test_self_assessment_of_another_office_is_not_found(client, period, county):
    x_manager = UserFactory(username="x_mgr2", role=Role.MANAGER, institution=county.bank_x)
    assert (
        _get(client, x_manager, reverse("evaluation:self_assessment", args=[period.pk])).status_code
        == 404
    )
    assert (
        _get(
            client, county.a_teller, reverse("evaluation:self_assessment", args=[period.pk])
        ).status_code
        == 404
    )


def test_evidence_file_only_for_the_office_staff(client, period, county):
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence = services.evidence_attach(
        actor=county.regulator,
        sheet=period.sheets.get(institution=county.bank_a),
        indicator=period.scheme.indicators.get(code="ORG-1"),
        file=SimpleUploadedFile("记录.pdf", PDF),
    )
    url = reverse("evaluation:evidence", args=[evidence.pk])
    response = _get(client, county.regulator, url)
    assert response.status_code == 200
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == (
        "application/pdf",
        "nosniff",
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    for user in (county.a_manager, county.other_regulator, county.a_teller):
        assert _get(client, user, url).status_code == 404


def test_results_for_the_report_pack_follow_the_access_policy(published, county):
    from datetime import date

    from evaluation.selectors import period_results_for_report

    window = {"start": date(2026, 7, 1), "end": date(2026, 9, 30)}
    staff = period_results_for_report(user=county.regulator, root=county.pbc, **window)
    assert [(r.institution_name, r.rank, r.grade, r.key_supervision) for r in staff] == [
        ("甲银行测试支行", 1, "A", False),
        ("乙银行测试支行", 2, "D", True),
    ]
    own = period_results_for_report(user=county.a_manager, root=county.bank_a, **window)
    assert [r.institution_name for r in own] == ["甲银行测试支行"]
    assert (
        period_results_for_report(user=county.other_regulator, root=county.other_pbc, **window)
        == []
    )
    assert period_results_for_report(user=county.a_teller, root=county.a_out1, **window) == []
