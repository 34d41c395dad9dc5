"""The county office mediates a dispute in Chromium: from a complaint the consumer was
unsatisfied with, through both parties' consent, a mediator, a session and an
agreement, and the mediation shows on the complaint's timeline."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Complaint
from mediation.models import MediationCase, Mediator

pytestmark = pytest.mark.browser


def _step(page, name: str, fill=None):
    """Open the mediation page's form for step ``name``, fill it, submit."""
    box = page.locator(f'details[data-offered-step="{name}"]')
    box.locator("summary").click()
    if fill:
        fill(box)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_office_takes_an_unsatisfied_complaint_to_an_agreement(demo, login, page, live_server):
    complaint = (
        Complaint.objects.filter(status="answered", mediation_since__isnull=True)
        .order_by("pk")
        .first()
    )
    assert complaint is not None
    # The consumer was not satisfied with the answer.
    Complaint.objects.filter(pk=complaint.pk).update(satisfaction="unsatisfied")
    today = timezone.localdate()

    login("pbc_supervisor")
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.get_by_test_id("open-mediation").click()
    page.wait_for_url(re.compile(rf".*/mediation/new/{complaint.pk}/$"))
    page.fill("#id_applied_on", today.isoformat())
    page.fill("#id_request", "消费者对答复不满意，请求退还手续费并赔礼道歉。")
    page.select_option("#id_procedure", "simple")
    page.select_option("#id_mode", "on_site")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/mediation/\d+/$"))
    case = MediationCase.objects.get(complaint=complaint)
    assert page.get_by_test_id("case-no").inner_text() == case.case_no
    assert page.get_by_test_id("status").inner_text() == "待双方同意"

    # Both parties agree to mediate.
    for party in ("consumer", "institution"):

        def consent(box, party=party):
            box.locator("select[name='consent-party']").select_option(party)
            box.locator("input[name='consent-agreed'][value=yes]").check()

        _step(page, "consent", consent)
    assert page.get_by_test_id("consents").inner_text() == "消费者（同意） · 机构（同意）"
    assert page.get_by_test_id("status").inner_text() == "调解中"

    zhao = Mediator.objects.get(office=case.office, name="赵明")

    def mediator(box):
        box.locator("select[name='assign_mediator-mediator']").select_option(str(zhao.pk))

    _step(page, "assign_mediator", mediator)
    assert "赵明" in page.get_by_test_id("mediator").inner_text()

    def session(box):
        held = timezone.localtime() - timedelta(hours=1)
        box.locator("input[name='session-held_at']").fill(held.strftime("%Y-%m-%dT%H:%M"))
        box.locator("select[name='session-mode']").select_option("on_site")
        box.locator("input[name='session-place']").fill("县支行消保办调解室")
        box.locator("textarea[name='session-participants']").fill(
            "申请人；机构消保管理员；调解员赵明"
        )
        box.locator("textarea[name='session-statements']").fill("申请人陈述诉求；机构说明经过。")
        box.locator("textarea[name='session-offers']").fill("建议机构退还手续费 50 元。")

    _step(page, "session", session)
    assert "县支行消保办调解室" in page.get_by_test_id("sessions").inner_text()

    def agreement(box):
        box.locator("textarea[name='agreement-parties']").fill("申请人与被申请机构")
        box.locator("textarea[name='agreement-facts']").fill("手续费收取争议")
        box.locator("textarea[name='agreement-responsibilities']").fill("机构未充分告知")
        box.locator("textarea[name='agreement-terms']").fill("机构退还手续费 50 元并致歉")
        box.locator("textarea[name='agreement-performance_method']").fill("转账至申请人账户")
        box.locator("input[name='agreement-perform_by']").fill(
            (today + timedelta(days=7)).isoformat()
        )
        box.locator("input[name='agreement-effective_on']").fill(today.isoformat())
        box.locator("input[name='agreement-consumer_signatory']").fill("申请人")
        box.locator("input[name='agreement-institution_signatory']").fill("机构代表")

    _step(page, "agreement", agreement)
    assert page.get_by_test_id("status").inner_text() == "已达成协议"
    assert "机构退还手续费 50 元并致歉" in page.get_by_test_id("agreement").inner_text()
    deadline = (today + timedelta(days=30)).isoformat()
    assert page.get_by_test_id("judicial-deadline").inner_text() == deadline
    case.refresh_from_db()
    assert (case.status, case.consumer_consent, case.institution_consent) == (
        "agreed",
        True,
        True,
    )
    assert case.sessions.count() == 1

    # The complaint's page shows the mediation on its timeline and links to it.
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "转入调解" in timeline
    assert case.case_no in page.get_by_test_id("mediation-links").inner_text()
