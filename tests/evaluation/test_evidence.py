"""Evidence files go in and out through the services, each leaving a log row; only
the period's scorer may delete one, and only while the period is open for scoring."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evaluation import services
from evaluation.enums import AppraisalAction, PeriodStatus
from evaluation.errors import AppraisalError
from evaluation.models import AppraisalLog, AppraisalPeriod, Evidence
from institutions.errors import PermissionRefused

from .test_admin import _form_data
from .test_services import PDF, _attach


def _log(period):
    return list(
        AppraisalLog.objects.filter(period=period)
        .order_by("pk")
        .values_list("action", "actor__username", "sheet__institution__code", "note")
    )


def test_attaching_evidence_writes_the_log(period, county):
    _attach(period, county, PDF, "检查记录.pdf")
    assert _log(period)[-1] == (
        AppraisalAction.ATTACH_EVIDENCE,
        "reg",
        "BANK-A",
        "ORG-1: 检查记录.pdf",
    )


def test_deleting_evidence_writes_the_log_and_removes_the_file(
    period, county, django_capture_on_commit_callbacks
):
    evidence = _attach(period, county, PDF, "检查记录.pdf")
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(actor=county.regulator, evidence=evidence)
    assert not Evidence.objects.exists()
    assert not storage.exists(name)
    assert _log(period)[-1] == (
        AppraisalAction.DELETE_EVIDENCE,
        "reg",
        "BANK-A",
        "ORG-1: 检查记录.pdf",
    )
    # Deleting it again (a second click) changes nothing.
    services.evidence_delete(actor=county.regulator, evidence=evidence)
    assert AppraisalLog.objects.filter(action=AppraisalAction.DELETE_EVIDENCE).count() == 1


@pytest.mark.parametrize("who", ["other_regulator", "sysadmin", "a_manager", "a_handler"])
def test_who_may_not_score_cannot_delete_evidence(period, county, who):
    evidence = _attach(period, county, PDF, "检查记录.pdf")
    with pytest.raises(PermissionRefused) as refused:
        services.evidence_delete(actor=getattr(county, who), evidence=evidence)
    # One permission refusal everywhere: also Django's, so an uncaught one is a 403.
    assert isinstance(refused.value, PermissionDenied)
    assert refused.value.code == "permission_denied"
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert not AppraisalLog.objects.filter(action=AppraisalAction.DELETE_EVIDENCE).exists()


def test_evidence_of_a_published_period_cannot_be_deleted(period, county):
    evidence = _attach(period, county, PDF, "检查记录.pdf")
    AppraisalPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    with pytest.raises(AppraisalError, match="不能再修改评分") as refused:
        services.evidence_delete(actor=county.regulator, evidence=evidence)
    assert refused.value.code == "not_scorable"
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_the_sheets_delete_box_goes_through_the_service(client, period, county):
    evidence = _attach(period, county, PDF, "检查记录.pdf")
    url = reverse("admin:evaluation_scoresheet_change", args=[evidence.sheet_id])
    # A reader of the admin who may not score is refused the change outright.
    client.force_login(county.sysadmin)
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    data = {**_form_data(page), "evidence-0-DELETE": "on"}
    assert client.post(url, data).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    # The scorer's tick deletes it, and the log says so.
    client.force_login(county.regulator)
    data = {**_form_data(client.get(url)), "evidence-0-DELETE": "on"}
    assert client.post(url, data).status_code == 302
    assert not Evidence.objects.exists()
    assert _log(period)[-1][:3] == (AppraisalAction.DELETE_EVIDENCE, "reg", "BANK-A")
