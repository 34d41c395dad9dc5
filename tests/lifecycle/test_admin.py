"""The admin pages: the dry-run report and the run (system administrators only),
legal holds and PIPL requests (administrators and the office), with refusals shown
on the form and nothing written."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lifecycle.models import LegalHold, PiplRequest, RetentionPolicy, RetentionRun
from lifecycle.policy import current_policy
from lifecycle.selectors import pipl_requests_overdue
from lifecycle.services.holds import pipl_request_record
from lifecycle.services.runs import retention_run_execute
from tests.complaints.factories import ComplaintFactory

from .helpers import at


@pytest.fixture
def old(county):
    return ComplaintFactory(
        complained_institution=county.a_out1, status="archived", closed_at=at(2020, 5, 1)
    )


def test_preview_shows_counts_and_start_queues_a_run(client, county, old):
    client.force_login(county.sysadmin)
    r = client.get(reverse("admin:lifecycle_retentionrun_preview"))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'data-testid="count-complaints">1<' in body
    assert "甲银行一号网点" in body
    assert RetentionRun.objects.get().mode == "dry_run"
    r = client.post(reverse("admin:lifecycle_retentionrun_start"))
    run = RetentionRun.objects.get(mode="run")
    assert r.status_code == 302
    assert r.url == reverse("admin:lifecycle_retentionrun_change", args=[run.pk])
    assert (run.status, run.requested_by) == ("pending", county.sysadmin)
    retention_run_execute(run_id=run.pk)  # what the worker does
    body = client.get(r.url).content.decode()
    assert "投诉匿名化" in body


def test_regulator_and_bank_staff_cannot_preview_or_run(client, county, old):
    client.force_login(county.regulator)
    assert client.get(reverse("admin:lifecycle_retentionrun_preview")).status_code == 403
    assert client.post(reverse("admin:lifecycle_retentionrun_start")).status_code == 403
    client.force_login(county.a_manager)
    r = client.post(reverse("admin:lifecycle_retentionrun_start"))
    assert r.status_code == 302
    assert r.url.startswith(reverse("admin:login"))
    assert not RetentionRun.objects.exists()


def test_policy_in_admin_overrides_settings_and_refuses_below_the_minimum(client, county, settings):
    settings.RETENTION_COMPLAINT_YEARS = 5
    settings.RETENTION_ACCESS_LOG_MONTHS = 2  # below the law: raised to 6
    assert (current_policy().complaint_years, current_policy().access_log_months) == (5, 6)
    client.force_login(county.sysadmin)
    r = client.get(reverse("admin:lifecycle_retentionpolicy_changelist"))
    assert r.url == reverse("admin:lifecycle_retentionpolicy_change", args=[1])
    url = r.url
    r = client.post(url, {"complaint_years": "2", "access_log_months": "", "notice_months": ""})
    assert r.status_code == 200
    assert RetentionPolicy.objects.get().complaint_years is None
    r = client.post(url, {"complaint_years": "4", "access_log_months": "12"})
    assert r.status_code == 302
    assert current_policy().complaint_years == 4
    assert current_policy().access_log_months == 12


def test_office_places_and_lifts_a_hold_in_the_admin(client, county, old):
    client.force_login(county.regulator)
    add = reverse("admin:lifecycle_legalhold_add")
    r = client.post(add, {"complaint": old.pk, "reason": "litigation", "note": "已起诉"})
    assert r.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.placed_by, hold.lifted_at) == (county.regulator, None)
    # The same reason twice: refused on the form.
    r = client.post(add, {"complaint": old.pk, "reason": "litigation", "note": "再次"})
    assert "该投诉已有同一事由的有效保全。" in r.content.decode()
    assert LegalHold.objects.count() == 1
    change = reverse("admin:lifecycle_legalhold_change", args=[hold.pk])
    r = client.post(change, {"lift": "on", "lift_note": "已判决"})
    assert r.status_code == 302
    hold.refresh_from_db()
    assert (hold.lifted_by, hold.lift_note) == (county.regulator, "已判决")


def test_another_countys_office_cannot_hold_this_complaint(client, county, old):
    client.force_login(county.other_regulator)
    r = client.post(
        reverse("admin:lifecycle_legalhold_add"),
        {"complaint": old.pk, "reason": "litigation", "note": "x"},
    )
    assert r.status_code == 200  # the complaint is not a valid choice
    assert not LegalHold.objects.exists()


def test_pipl_request_deadline_counts_working_days_and_overdue_list(client, county, old, calendar):
    with time_machine.travel(at(2026, 9, 28), tick=False):
        request = pipl_request_record(
            actor=county.regulator,
            kind="access",
            complaints=[old],
            received_on=dt.date(2026, 9, 28),
            summary="申请复制投诉材料",
        )
    # 15 working days: the National Day holiday and its make-up Saturday counted.
    assert request.due_on == dt.date(2026, 10, 23)
    assert list(pipl_requests_overdue(today=dt.date(2026, 10, 23))) == []
    assert list(pipl_requests_overdue(today=dt.date(2026, 10, 24))) == [request]
    client.force_login(county.regulator)
    with time_machine.travel(at(2026, 11, 2), tick=False):
        body = client.get(
            reverse("admin:lifecycle_piplrequest_changelist") + "?overdue=yes"
        ).content.decode()
        assert "2026年10月23日" in body or "Oct. 23, 2026" in body or "2026-10-23" in body
        r = client.post(
            reverse("admin:lifecycle_piplrequest_change", args=[request.pk]),
            {"outcome": "granted", "outcome_note": "已提供复印件", "answered_on": "2026-11-02"},
        )
    assert r.status_code == 302
    request.refresh_from_db()
    assert (request.outcome, request.handled_by) == ("granted", county.regulator)
    assert not pipl_requests_overdue(today=dt.date(2026, 11, 3)).exists()
    assert PiplRequest.objects.count() == 1
