"""The complaint page in Chromium as a handler works it: a follow-up call logged on
the timeline, an extension asked and approved (the due time says 已延期), a long
description folded and unfolded."""

import re
from datetime import timedelta

from django.utils import timezone

from complaints.models import Complaint
from tests.browser.helpers import act, logout


def test_handler_logs_a_call_and_the_extension_shows_once_approved(demo, login, page, live_server):
    c = Complaint.objects.get(description__startswith="贷款时被要求购买理财产品")
    detail = f"{live_server.url}/complaints/{c.pk}/"
    login("rcb_handler")
    page.goto(detail)

    def call(box):
        box.locator("select[name=method]").select_option("phone")
        box.locator("textarea[name=summary]").fill("电话告知客户正在调取合同材料")

    act(page, "log_contact", call)
    assert page.get_by_test_id("status").inner_text() == "处理中"
    last = page.locator("[data-testid=timeline] li").last
    assert last.get_attribute("data-action") == "contact"
    assert "联系方式：电话" in last.inner_text()
    assert "电话告知客户正在调取合同材料" in last.inner_text()

    def extend(box):
        box.locator("textarea[name=reason]").fill("需调取贷款合同及录音")
        later = timezone.localtime(c.due_at) + timedelta(days=3)
        box.locator("input[name=requested_due_at]").fill(later.strftime("%Y-%m-%dT%H:%M"))
        box.locator("input[name=customer_told]").check()

    act(page, "request_extension", extend)
    # One request at a time: the form is no longer offered while it waits.
    assert page.locator('details[data-offered-action="request_extension"]').count() == 0
    logout(page)

    login("rcb_manager")
    page.goto(detail)

    def approve(box):
        box.locator("input[name=approve][value='1']").check()

    act(page, "decide_extension", approve)
    assert page.get_by_test_id("extended").inner_text() == "已延期"
    assert "当日办结" not in page.get_by_test_id("due-at").inner_text()


def test_long_description_unfolds(demo, login, page, live_server):
    c = Complaint.objects.get(description__startswith="贷款时被要求购买理财产品")
    Complaint.objects.filter(pk=c.pk).update(description="贷款时被要求购买理财产品。" * 50)
    login("rcb_handler")
    page.goto(f"{live_server.url}/complaints/{c.pk}/")
    fold = page.get_by_test_id("description").locator("details.fold")
    assert re.search(r"展开全文（共 650 字）", fold.inner_text())
    box = fold.bounding_box()
    assert box["height"] < 200  # a few lines, not a wall of text
    fold.locator("summary").click()
    assert fold.bounding_box()["height"] > box["height"] * 2
