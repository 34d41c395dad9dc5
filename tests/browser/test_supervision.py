"""The county office at its desk, in Chromium: a hotline complaint registered and
dispatched to a rural commercial bank sub-branch in one step, handled there, and
seen back at the office on the same page and on the board."""

import re

from complaints.models import Complaint, HandlingCategory
from complaints.tasks import open_tally_refresh
from institutions.models import Institution, User
from tests.browser.helpers import act, logout


def _board_number(page, live_server, code: str, metric: str) -> int:
    page.goto(f"{live_server.url}/supervision/")
    cell = page.locator(
        f'[data-testid=board] tr[data-institution="{code}"] a[data-metric="{metric}"]'
    )
    return int(cell.inner_text())


def test_dispatch_handle_and_watch_it_come_back(demo, login, page, live_server):
    sub_branch = Institution.objects.get(code="RCB-QH-01")
    handler = User.objects.get(username="rcb_handler")
    category = HandlingCategory.objects.get(name="服务态度")

    # The county at a glance.
    login("pbc_supervisor")
    open_before = _board_number(page, live_server, "RCB-QH", "open")
    assert page.get_by_test_id("board-root").inner_text() == "中国人民银行清河县支行"

    # A call on 12363, registered and dispatched to the sub-branch in one step.
    page.goto(f"{live_server.url}/complaints/new/")
    page.select_option("#id_intake_source", "phone")
    page.fill("#id_complainant_name", "冯晓梅")
    page.fill("#id_complainant_phone", "13644448888")
    page.fill("#id_description", "在农商行城区支行办理业务时被工作人员推诿，多次往返未办成")
    page.fill("#id_demand", "尽快办理并给出说法")
    page.select_option("#id_complained_institution", str(sub_branch.pk))
    page.select_option("#id_category", str(category.pk))
    page.select_option("#id_d-dispatch_institution", str(sub_branch.pk))
    page.wait_for_selector(f'#id_d-dispatch_handler option[value="{handler.pk}"]', state="attached")
    page.select_option("#id_d-dispatch_handler", str(handler.pk))
    page.fill("#id_d-dispatch_note", "请核实后按时答复客户")
    page.click("#intake-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/complaints/\d+/$"))
    tracking = page.get_by_test_id("tracking-no").inner_text()
    assert tracking.startswith("PBC-QH-")
    assert page.get_by_test_id("status").inner_text() == "已分办"
    assert page.get_by_test_id("handler").inner_text() == "杨洋"
    assert Complaint.objects.filter(tracking_no=tracking).count() == 1
    c = Complaint.objects.get(tracking_no=tracking)
    detail = f"{live_server.url}/complaints/{c.pk}/"
    # The board is the tally: the new case is on it from the next count (beat's).
    assert _board_number(page, live_server, "RCB-QH", "open") == open_before
    assert page.get_by_test_id("board-as-of").inner_text().startswith("按处理机构统计于 ")
    open_tally_refresh()
    assert _board_number(page, live_server, "RCB-QH", "open") == open_before + 1
    logout(page)

    # The sub-branch sees it at once, marked as transferred by the office.
    login("rcb_handler")
    page.goto(f"{live_server.url}/complaints/?mine=on")
    row = page.locator("[data-testid=complaint-table] tr", has_text=tracking)
    assert "人民银行转办" in row.inner_text()
    page.goto(detail)
    act(page, "start")

    def resolve(box):
        box.locator("textarea[name=findings]").fill("经核实，工作人员未一次性告知所需材料")
        box.locator("input[name=is_valid][value='1']").check()
        box.locator("textarea[name=measures]").fill("向客户致歉，当日办结业务并对员工进行批评教育")
        box.locator("textarea[name=staff_opinion]").fill("批评教育")

    act(page, "resolve", resolve)

    def answer(box):
        box.locator("input[name=satisfaction][value=basic]").check()

    act(page, "answer", answer)
    assert page.get_by_test_id("status").inner_text() == "已反馈"
    logout(page)

    # Back at the office: the institution's handling and the consumer's feedback on
    # the same page, and the board agrees with the list behind it.
    login("pbc_supervisor")
    page.goto(detail)
    assert page.get_by_test_id("status").inner_text() == "已反馈"
    assert page.get_by_test_id("satisfaction").inner_text().startswith("基本满意")
    assert "向客户致歉" in page.content()
    steps = page.locator("[data-testid=timeline] li")
    assert [steps.nth(i).get_attribute("data-action") for i in range(steps.count())] == [
        "register",
        "assign",
        "start",
        "resolve",
        "answer",
    ]
    open_tally_refresh()
    open_after = _board_number(page, live_server, "RCB-QH", "open")
    assert open_after == open_before
    page.locator('[data-testid=board] tr[data-institution="RCB-QH"] a[data-metric="open"]').click()
    page.wait_for_url(re.compile(r".*/supervision/cases/\?.*"))
    assert page.get_by_test_id("case-count").inner_text() == f"共 {open_after} 件"
    assert page.locator("[data-testid=complaint-table] tbody tr").count() == open_after
    assert tracking not in page.get_by_test_id("complaint-table").inner_text()
