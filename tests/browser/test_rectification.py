"""The office orders a rectification within a time limit, the bank's manager
answers it, the office accepts it — in Chromium."""

import re

from institutions.models import Institution
from supervision.models import RectificationItem
from tests.browser.helpers import logout


def test_order_answer_accept(demo, login, page, live_server):
    bank = Institution.objects.get(code="ICBC-QH")

    login("pbc_supervisor")
    page.goto(f"{live_server.url}/supervision/measures/")
    page.get_by_test_id("measure-new").click()
    page.select_option("#id_institution", str(bank.pk))
    page.select_option("#id_kind", "rectify_order")
    page.fill("#id_basis", "《中国人民银行金融消费者权益保护实施办法》第五十八条")
    page.fill("#id_content", "投诉处理超时率偏高")
    page.fill("#id_requirement", "梳理投诉处理流程，确保按时办结")
    page.click("[data-testid=measure-form] button[type=submit]")
    page.wait_for_url(re.compile(r".*/supervision/measures/\d+/$"))
    page.locator("[data-testid=measure-items] a").first.click()
    page.wait_for_url(re.compile(r".*/supervision/rectification/\d+/$"))
    item_url = page.url
    assert page.get_by_test_id("status").inner_text() == "待整改"
    assert page.locator("[data-offered-step]").count() == 0
    logout(page)

    # The bank's manager finds it from the desk's navigation and answers.
    login("icbc_manager")
    page.goto(f"{live_server.url}/supervision/")
    page.get_by_test_id("nav-rectification").click()
    page.locator("[data-testid=rectification-table] a", has_text="梳理投诉处理流程").click()
    page.fill("#id_answer-response", "已修订投诉处理流程并组织培训")
    page.get_by_test_id("step-answer").click()
    page.wait_for_url(item_url)
    assert page.get_by_test_id("status").inner_text() == "已报送整改情况"
    logout(page)

    login("pbc_supervisor")
    page.goto(item_url)
    page.click("#step-accept summary")
    page.fill("#id_accept-note", "整改到位")
    page.get_by_test_id("step-accept").click()
    page.wait_for_url(item_url)
    assert page.get_by_test_id("status").inner_text() == "已验收"
    kinds = page.locator("[data-testid=rectification-timeline] li").evaluate_all(
        "els => els.map(e => e.dataset.kind)"
    )
    assert kinds == ["open", "answer", "accept"]
    item = RectificationItem.objects.get(institution=bank)
    assert (item.status, item.response) == ("accepted", "已修订投诉处理流程并组织培训")
