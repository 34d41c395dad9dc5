"""When the appraisal may still change (evaluation.rules): the admin's editable
fields and the services' refusals both ask these."""

from django.urls import reverse

from evaluation import rules, services
from evaluation.enums import PeriodStatus, SelfAssessmentStatus
from evaluation.models import AppraisalPeriod, IndicatorScheme, SelfAssessment
from tests.institutions.factories import UserFactory


def test_a_scheme_is_editable_until_its_period_starts_scoring(client, period, county):
    assert rules.scheme_is_editable(IndicatorScheme.objects.get(is_template=True))
    assert rules.scheme_is_editable(period.scheme)
    url = reverse("admin:evaluation_indicatorscheme_change", args=[period.scheme_id])
    client.force_login(county.regulator)
    assert client.get(url).context["has_change_permission"]
    services.period_start_scoring(actor=county.regulator, period=period)
    scheme = IndicatorScheme.objects.select_related("period").get(pk=period.scheme_id)
    assert not rules.scheme_is_editable(scheme)
    assert not client.get(url).context["has_change_permission"]


def test_a_sheet_is_editable_by_its_scorer_while_the_period_is_open(period, county):
    sheet = period.sheets.get(institution=county.bank_a)
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert rules.sheet_editable_by(county.regulator, sheet)
    assert rules.sheet_editable_by(superuser, sheet)
    assert not rules.sheet_editable_by(county.other_regulator, sheet)
    assert not rules.sheet_editable_by(county.sysadmin, sheet)
    AppraisalPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    sheet = period.sheets.select_related("period").get(institution=county.bank_a)
    assert not rules.period_is_open_for_scoring(sheet.period)
    # Not even a superuser changes published results.
    assert not rules.sheet_editable_by(county.regulator, sheet)
    assert not rules.sheet_editable_by(superuser, sheet)


def test_a_self_assessment_is_open_until_reported_or_published(period, county):
    assert rules.self_assessment_editable_by(county.a_manager, period, None)
    assert not rules.self_assessment_editable_by(county.a_teller, period, None)
    own = SelfAssessment.objects.create(period=period, institution=county.bank_a)
    assert rules.self_assessment_is_open(period, own)
    own.status = SelfAssessmentStatus.SUBMITTED
    assert not rules.self_assessment_is_open(period, own)
    own.status = SelfAssessmentStatus.DRAFT
    AppraisalPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    period = AppraisalPeriod.objects.get(pk=period.pk)
    assert not rules.self_assessment_is_open(period, own)
    assert not rules.self_assessment_editable_by(county.a_manager, period, own)
