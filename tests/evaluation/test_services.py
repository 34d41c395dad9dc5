"""Periods, the scheme copy, scoring, totals and ranks, key supervision, publication,
self-assessment, evidence and inspections — through the services."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.enums import ComplaintStatus as S
from evaluation import reference, selectors, services
from evaluation.enums import AppraisalAction, PeriodKind, PeriodStatus, SectionKind
from evaluation.errors import AppraisalError
from evaluation.models import (
    AppraisalLog,
    AppraisalPeriod,
    Evidence,
    IndicatorScheme,
    IndicatorScore,
    Inspection,
    SelfAssessment,
)
from evaluation.scoring import indicator_problems
from institutions.enums import Role
from tests.complaints.factories import ComplaintFactory
from tests.institutions.factories import InstitutionFactory, UserFactory

from .conftest import at


def _complaint(county, inst, **kw):
    defaults = {"received_at": at("2026-08-01 10:00"), "first_responder": county.a_teller}
    defaults.update(kw)
    return ComplaintFactory(complained_institution=inst, **defaults)


# --- The default scheme and the period setup ----------------------------------------------


def test_default_scheme_has_five_elements_to_100_and_a_deduction_of_25(db):
    scheme = IndicatorScheme.objects.get(is_template=True)
    sections = list(scheme.sections.order_by("order").values_list("code", "name", "kind", "weight"))
    assert sections == [
        ("ORG", "体制建设", SectionKind.ELEMENT, D("10.00")),
        ("MECH", "机制与运行", SectionKind.ELEMENT, D("25.00")),
        ("CONDUCT", "操作与服务", SectionKind.ELEMENT, D("30.00")),
        ("EDU", "教育宣传", SectionKind.ELEMENT, D("10.00")),
        ("DISPUTE", "纠纷化解", SectionKind.ELEMENT, D("25.00")),
        ("DEDUCT", "监督检查", SectionKind.DEDUCTION, D("25.00")),
    ]
    assert scheme.indicators.count() == 26
    for indicator in scheme.indicators.all():
        assert indicator_problems(indicator) == {}, indicator.code
    kinds = set(scheme.indicators.exclude(computed_kind="").values_list("computed_kind", flat=True))
    # Every computed kind is used, but the number of mediations (a figure to read, not
    # to score: more disputes mediated is neither better nor worse).
    from evaluation.enums import ComputedKind

    assert kinds == set(ComputedKind.values) - {ComputedKind.MEDIATION_CASES}
    # Inside each element, the indicator weights add up to 100.
    for section in scheme.sections.filter(kind=SectionKind.ELEMENT):
        assert sum(i.weight for i in section.indicators.all()) == D(100), section.code
    assert reference.load().pk == scheme.pk  # idempotent


def test_period_appraises_the_top_of_each_bank_in_the_jurisdiction(period, county):
    InstitutionFactory(code="INACTIVE", regulator=county.pbc, is_active=False)
    assert list(
        period.sheets.order_by("institution__path").values_list("institution__code", flat=True)
    ) == [
        "BANK-A",
        "BANK-B",
    ]
    assert (period.code, period.name, period.ends_on, period.self_assessment_due) == (
        "2026Q3",
        "2026年第三季度",
        date(2026, 9, 30),
        date(2026, 10, 10),
    )
    assert period.scheme.copied_from.is_template
    assert IndicatorScore.objects.filter(sheet__period=period).count() == 2 * 26
    assert AppraisalLog.objects.filter(period=period, action=AppraisalAction.CREATE).count() == 1


def test_scheme_is_copied_from_the_previous_period_with_its_edits(period, county):
    edited = period.scheme.indicators.get(code="DISPUTE-2")
    edited.name, edited.zero_at = "按时答复率（本县口径）", D(90)
    edited.save()
    period.scheme.indicators.get(code="EDU-2").delete()
    nxt = services.period_create_next(actor=county.regulator, period=period)
    assert (nxt.code, nxt.name, nxt.starts_on, nxt.ends_on) == (
        "2026Q4",
        "2026年第四季度",
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    copied = nxt.scheme.indicators.get(code="DISPUTE-2")
    assert (copied.name, copied.zero_at, nxt.scheme.indicators.count()) == (
        "按时答复率（本县口径）",
        D(90),
        25,
    )
    assert nxt.scheme.copied_from == period.scheme
    assert nxt.scheme.pk != period.scheme.pk
    assert services.period_create_next(actor=county.regulator, period=period) == nxt


def test_period_labels_for_each_kind():
    assert services.period_label(PeriodKind.HALF_YEAR, date(2026, 7, 1)) == (
        date(2026, 12, 31),
        "2026H2",
        "2026年下半年",
    )
    assert services.period_label(PeriodKind.YEAR, date(2026, 1, 1)) == (
        date(2026, 12, 31),
        "2026",
        "2026年度",
    )
    assert services.period_label(PeriodKind.QUARTER, date(2026, 1, 1)) == (
        date(2026, 3, 31),
        "2026Q1",
        "2026年第一季度",
    )


def test_only_the_office_staff_create_periods(county):
    for user in (county.a_manager, county.other_regulator, county.sysadmin):
        with pytest.raises(PermissionDenied):
            services.period_create(
                actor=user, regulator=county.pbc, kind="quarter", starts_on=date(2026, 7, 1)
            )


# --- Scores, totals, ranks, grades --------------------------------------------------------


def test_manual_score_is_checked_and_recorded_with_who_when_why(small, county):
    with pytest.raises(AppraisalError, match="超出范围"):
        small.manual(county.bank_a, "10.5")
    with pytest.raises(AppraisalError, match="评分理由"):
        small.manual(county.bank_a, 8, reason="  ")
    with pytest.raises(AppraisalError, match="不是有效的数字"):
        small.manual(county.bank_a, "八")
    with pytest.raises(AppraisalError, match="系统计算指标"):
        services.score_record(
            actor=county.regulator, score=small.score(county.bank_a, small.c), value=5, reason="x"
        )
    score = small.manual(county.bank_a, "8.5")
    assert (score.score, score.reason, score.scored_by) == (
        D("8.50"),
        "依据检查记录",
        county.regulator,
    )
    assert score.scored_at is not None
    assert small.sheet(county.bank_a).total == D("51.00")  # 60 × 8.5/10; nothing computed yet


@pytest.mark.parametrize(
    "who", ["a_manager", "b_manager", "other_regulator", "sysadmin", "a_teller"]
)
def test_nobody_but_the_office_staff_scores(small, county, who):
    with pytest.raises(PermissionDenied):
        services.score_record(
            actor=getattr(county, who),
            score=small.score(county.bank_a, small.m),
            value=5,
            reason="x",
        )
    assert small.score(county.bank_a, small.m).score is None


def test_recompute_totals_grades_ranks_and_proposals(small, county):
    # Bank A: one complaint (a major one); bank B: none.
    _complaint(county, county.a_out1, is_major=True, status=S.REGISTERED)
    small.manual(county.bank_a, 9)
    small.manual(county.bank_b, 9)
    services.period_recompute(
        actor=county.regulator, period=small.period, as_of=at("2026-10-01 09:00")
    )
    a, b = small.sheet(county.bank_a), small.sheet(county.bank_b)
    # A: 60×0.9 + 40×(5/10) − 5 = 54 + 20 − 5 = 69 → C; B: 54 + 40 = 94 → A.
    assert (a.element_total, a.deduction, a.total, a.grade, a.rank) == (
        D("74.00"),
        D("5.00"),
        D("69.00"),
        "C",
        2,
    )
    assert (b.element_total, b.deduction, b.total, b.grade, b.rank) == (
        D("94.00"),
        D("0.00"),
        D("94.00"),
        "A",
        1,
    )
    assert (a.major_complaints, a.key_supervision_proposed) == (1, True)
    assert a.proposal_reasons == "考核等级为 C；考核期内发生重大投诉 1 件"
    assert (b.key_supervision_proposed, b.is_commended, b.unscored_count) == (False, True, 0)
    raw = small.score(county.bank_a, small.c)
    assert (raw.raw_value, raw.score) == (D("1.0000"), D("5.00"))


def test_equal_totals_share_a_rank(small, county):
    extra = InstitutionFactory(code="BANK-C", regulator=county.pbc)
    services.sheets_ensure(small.period)
    small.manual(county.bank_a, 7)
    small.manual(county.bank_b, 7)
    small.manual(extra, 9)
    services.period_recompute(actor=county.regulator, period=small.period)
    ranks = dict(small.period.sheets.values_list("institution__code", "rank"))
    assert ranks == {"BANK-C": 1, "BANK-A": 2, "BANK-B": 2}


def test_overdue_cases_propose_key_supervision_from_the_threshold(small, county):
    small.scheme.key_supervision_overdue_threshold = 2
    small.scheme.save()
    for day in (1, 2):
        _complaint(county, county.a_out1, received_at=at(f"2026-08-0{day} 10:00"),
                   due_at=at(f"2026-08-0{day} 17:00"), status=S.IN_PROGRESS)  # fmt: skip
    _complaint(
        county,
        county.bank_b,
        due_at=at("2026-08-01 17:00"),
        answered_at=at("2026-08-02 10:00"),
        status=S.ANSWERED,
    )
    small.manual(county.bank_a, 10)
    small.manual(county.bank_b, 10)
    services.period_recompute(
        actor=county.regulator, period=small.period, as_of=at("2026-10-01 09:00")
    )
    a, b = small.sheet(county.bank_a), small.sheet(county.bank_b)
    # A: 2 complaints → 5 points of 10 → 60 + 20 = 80 (B), 2 overdue ≥ 2 → proposed.
    assert (a.total, a.grade, a.overdue_count, a.key_supervision_proposed) == (
        D("80.00"),
        "B",
        2,
        True,
    )
    assert a.proposal_reasons == "逾期件数 2 件，达到 2 件"
    # B: 1 overdue < 2, 1 complaint → 80 (B): not proposed.
    assert (b.total, b.overdue_count, b.key_supervision_proposed) == (D("80.00"), 1, False)


def test_decision_overrides_only_with_a_reason(small, county):
    small.manual(county.bank_a, 5)  # 30 + nothing computed → D, proposed
    sheet = small.sheet(county.bank_a)
    assert sheet.key_supervision_proposed
    with pytest.raises(AppraisalError, match="调整理由"):
        services.key_supervision_decide(actor=county.regulator, sheet=sheet, key_supervision=False)
    services.key_supervision_decide(
        actor=county.regulator, sheet=sheet, key_supervision=False, reason="已完成整改，经现场核实"
    )
    sheet.refresh_from_db()
    assert (
        sheet.key_supervision,
        sheet.final_key_supervision,
        sheet.key_supervision_decided_by,
    ) == (False, False, county.regulator)
    # Confirming the proposal needs no reason.
    services.key_supervision_decide(actor=county.regulator, sheet=sheet, key_supervision=True)
    sheet.refresh_from_db()
    assert sheet.final_key_supervision is True


# --- Publication and the next period -----------------------------------------------------


def test_publish_waits_for_every_score_then_fixes_the_results(small, county):
    with pytest.raises(AppraisalError) as exc:
        services.period_publish(actor=county.regulator, period=small.period)
    assert exc.value.messages == [
        "系统计算指标尚未计算，请先“重新计算系统指标”。",
        "还有 2 项人工评分指标未评分。",
    ]
    small.manual(county.bank_a, 10)
    small.manual(county.bank_b, 5)
    services.period_recompute(actor=county.regulator, period=small.period)
    period = services.period_publish(actor=county.regulator, period=small.period)
    assert (period.status, period.published_by) == (PeriodStatus.PUBLISHED, county.regulator)
    b = small.sheet(county.bank_b)
    # B: 30 + 40 = 70 → C, proposal confirmed at publication.
    assert (b.total, b.grade, b.key_supervision, b.key_supervision_reason) == (
        D("70.00"),
        "C",
        True,
        "发布时按系统建议确认",
    )
    with pytest.raises(AppraisalError, match="已发布"):
        small.manual(county.bank_b, 10)
    with pytest.raises(AppraisalError, match="已发布"):
        services.period_recompute(actor=county.regulator, period=period)
    assert small.sheet(county.bank_b).total == D("70.00")
    services.period_close(actor=county.regulator, period=period)
    assert AppraisalPeriod.objects.get(pk=period.pk).status == PeriodStatus.CLOSED


def test_next_period_lists_last_periods_key_supervision(small, county):
    small.manual(county.bank_a, 10)
    small.manual(county.bank_b, 5)
    services.period_recompute(actor=county.regulator, period=small.period)
    nxt = services.period_create_next(actor=county.regulator, period=small.period)
    previous, listed = selectors.key_supervision_from_previous(period=nxt)
    assert (previous, listed) == (small.period, [])  # not published: nothing decided yet
    services.period_publish(actor=county.regulator, period=small.period)
    previous, listed = selectors.key_supervision_from_previous(period=nxt)
    assert [s.institution.code for s in listed] == ["BANK-B"]
    assert nxt.scheme.copied_from == small.scheme


# --- Self-assessment -----------------------------------------------------------------------


def _entries(period, score=D(8)):
    return {
        s.pk: ("已开展相关工作", score if s.kind == "element" and s.weight >= score else None)
        for s in period.scheme.sections.all()
    }


def test_self_assessment_draft_then_submit_and_its_indicator(period, county):
    own = services.self_assessment_save(
        actor=county.a_manager,
        period=period,
        entries=_entries(period),
        problems_and_measures="登记不全",
        submit=False,
    )
    assert (own.institution, own.status, own.submitted_at) == (county.bank_a, "draft", None)
    own = services.self_assessment_save(
        actor=county.a_manager,
        period=period,
        entries=_entries(period),
        problems_and_measures="登记不全，已整改",
        submit=True,
    )
    assert (own.status, own.submitted_by, own.entries.count()) == ("submitted", county.a_manager, 6)
    with pytest.raises(AppraisalError, match="已报送"):
        services.self_assessment_save(
            actor=county.a_manager, period=period, entries={}, problems_and_measures="", submit=True
        )
    # Submitted today, after the 10 October due date: late. Back-date to be on time.
    assert own.on_time is False
    SelfAssessment.objects.filter(pk=own.pk).update(submitted_at=at("2026-10-10 18:00"))
    services.period_recompute(actor=county.regulator, period=period)
    line = IndicatorScore.objects.get(
        sheet__period=period, sheet__institution=county.bank_a, indicator__code="MECH-4"
    )
    other = IndicatorScore.objects.get(
        sheet__period=period, sheet__institution=county.bank_b, indicator__code="MECH-4"
    )
    assert (line.raw_value, line.score, other.raw_value, other.score) == (D(1), D(10), D(0), D(0))


def test_an_outlet_manager_assesses_for_the_bank_and_others_cannot(period, county):
    outlet_manager = UserFactory(username="a1_mgr", role=Role.MANAGER, institution=county.a_out1)
    own = services.self_assessment_save(
        actor=outlet_manager, period=period, entries={}, problems_and_measures="", submit=False
    )
    assert own.institution == county.bank_a
    for user in (county.a_teller, county.a_handler, county.regulator):
        with pytest.raises(PermissionDenied):
            services.self_assessment_save(
                actor=user, period=period, entries={}, problems_and_measures="", submit=False
            )
    x_manager = UserFactory(username="x_mgr", role=Role.MANAGER, institution=county.bank_x)
    with pytest.raises(PermissionDenied):
        services.self_assessment_save(
            actor=x_manager, period=period, entries={}, problems_and_measures="", submit=False
        )


def test_own_score_cannot_exceed_the_section(period, county):
    org = period.scheme.sections.get(code="ORG")
    with pytest.raises(AppraisalError, match=r"0 至 10\.00"):
        services.self_assessment_save(
            actor=county.a_manager,
            period=period,
            entries={org.pk: ("", D(11))},
            problems_and_measures="",
            submit=False,
        )


# --- Evidence ------------------------------------------------------------------------------


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _attach(period, county, content, name):
    sheet = period.sheets.get(institution=county.bank_a)
    indicator = period.scheme.indicators.get(code="ORG-1")
    return services.evidence_attach(
        actor=county.regulator,
        sheet=sheet,
        indicator=indicator,
        file=SimpleUploadedFile(name, content, content_type="application/pdf"),
        description="检查记录",
    )


def test_evidence_is_stored_under_a_random_name_with_the_detected_type(period, county):
    evidence = _attach(period, county, PDF, "检查记录.pdf")
    assert (evidence.content_type, evidence.size, evidence.original_name) == (
        "application/pdf",
        len(PDF),
        "检查记录.pdf",
    )
    assert evidence.file.name.endswith(f"{evidence.pk.hex}.pdf")
    assert evidence.file.read() == PDF


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.pdf"),
        (b"<html><script>alert(1)</script></html>", "report.pdf"),
        (b"plain text", "notes.png"),
        (b"PK\x03\x04not really a zip", "a.docx"),
    ],
)
def test_unsafe_or_unknown_files_are_refused(period, county, content, name):
    with pytest.raises(AppraisalError, match="文件类型不被接受"):
        _attach(period, county, content, name)
    assert not Evidence.objects.exists()


def test_evidence_over_the_size_limit_is_refused(period, county, settings):
    settings.EVALUATION_EVIDENCE_MAX_BYTES = 20
    with pytest.raises(AppraisalError, match="大小限制"):
        _attach(period, county, PDF, "big.pdf")


# --- Inspections ---------------------------------------------------------------------------


def test_inspections_are_planned_once_for_each_key_supervision_institution(small, county):
    small.manual(county.bank_a, 10)
    small.manual(county.bank_b, 5)
    services.period_recompute(actor=county.regulator, period=small.period)
    planned = date(2026, 11, 15)
    args = {
        "actor": county.regulator,
        "period": small.period,
        "kind": "special",
        "planned_on": planned,
        "subject": "投诉处理专项检查",
    }
    assert services.inspections_plan_for_key_supervision(**args) == 1
    assert services.inspections_plan_for_key_supervision(**args) == 0
    inspection = Inspection.objects.get()
    assert (inspection.institution, inspection.regulator, inspection.source_sheet.institution) == (
        county.bank_b,
        county.pbc,
        county.bank_b,
    )


def test_log_records_who_did_what(small, county):
    small.manual(county.bank_a, 6)
    services.period_recompute(actor=county.regulator, period=small.period)
    actions = list(
        AppraisalLog.objects.filter(period=small.period)
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert actions == [("score", "reg"), ("recompute", "reg")]
    assert timezone.now() - AppraisalLog.objects.latest("pk").created_at < timedelta(minutes=1)
