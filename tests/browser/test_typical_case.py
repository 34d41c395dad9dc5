"""编入案例档案 with 发布到案例库 ticked publishes the case (no 草稿 badge), records who
published it, and the case is in the library for the office's staff; unticked it stays
a draft."""

import re

import pytest

from complaints.models import Complaint
from complaints.workflow.service import complaint_act
from institutions.models import User
from supervision.models import TypicalCase


@pytest.fixture
def complaint(demo):
    """The demo's RCB loan complaint, resolved (not yet written up)."""
    c = Complaint.objects.get(description__startswith="贷款时被要求购买理财产品")
    complaint_act(
        actor=User.objects.get(username="rcb_handler"),
        complaint_id=c.pk,
        action="resolve",
        findings="客户经理违规搭售理财产品。",
        is_valid=True,
        measures="退还理财款项，对客户经理批评教育。",
        staff_opinion="",
    )
    return c


def _write_up(page, live_server, complaint, *, publish: bool):
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.get_by_role("link", name="编入案例档案").click()
    page.wait_for_url(re.compile(r".*/supervision/.*"))
    form = page.get_by_test_id("case-form")
    form.locator("input[name=title]").fill("柜员录错收款账号")
    form.locator("textarea[name=cause_analysis]").fill("复核环节缺失")
    form.locator("textarea[name=handling_process]").fill("致歉并补偿手续费")
    form.locator("textarea[name=lessons]").fill("落实双人复核")
    box = form.get_by_label("发布到案例库")
    if publish:
        box.check()
    assert box.is_checked() == publish
    form.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r".*/supervision/library/\d+/$"))


def test_ticked_publish_publishes_and_records_who(complaint, login, page, live_server):
    login("pbc_supervisor")
    _write_up(page, live_server, complaint, publish=True)
    title = page.get_by_test_id("case-title").inner_text()
    assert "草稿" not in title
    case = TypicalCase.objects.get(complaint=complaint)
    assert case.published
    assert case.published_by.username == "pbc_supervisor"
    assert case.published_at is not None
    assert "发布" in page.get_by_test_id("case-published").inner_text()


def test_unticked_stays_a_draft(complaint, login, page, live_server):
    login("pbc_supervisor")
    _write_up(page, live_server, complaint, publish=False)
    assert "草稿" in page.get_by_test_id("case-title").inner_text()
    case = TypicalCase.objects.get(complaint=complaint)
    assert (case.published, case.published_by) == (False, None)
