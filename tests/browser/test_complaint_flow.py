"""A phone complaint from intake to archive across the roles, in Chromium."""

import re

from complaints.models import Complaint
from tests.browser.helpers import act, logout


def test_phone_complaint_from_intake_to_archive(demo, login, page, live_server):
    # Outlet staff take the call.
    login("rcb_teller")
    page.goto(f"{live_server.url}/complaints/new/")
    page.select_option("#id_intake_source", "phone")
    page.fill("#id_complainant_name", "钱多多")
    page.fill("#id_complainant_phone", "13933335555")
    page.fill("#id_description", "手机银行转账提示成功但对方未收到款项")
    page.fill("#id_demand", "尽快查明资金去向")
    page.select_option("#id_cause", label="金融机构服务设施、设备、业务系统")
    # The category follows the JR/T cause (服务渠道 → complex).
    assert page.locator("#id_category option:checked").inner_text().startswith("服务渠道")
    page.click("#intake-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/complaints/\d+/$"))
    tracking = page.get_by_test_id("tracking-no").inner_text()
    assert tracking.startswith("RCB-QH-0101-")
    assert page.get_by_test_id("status").inner_text() == "已登记"
    c = Complaint.objects.get(tracking_no=tracking)
    detail = f"{live_server.url}/complaints/{c.pk}/"
    logout(page)

    # The bank's complaint manager assigns it to the sub-branch handler.
    login("rcb_manager")
    page.goto(detail)

    from institutions.models import Institution, User

    sub_branch = Institution.objects.get(code="RCB-QH-01")
    handler = User.objects.get(username="rcb_handler")

    def assign(box):
        box.locator("select[name=institution]").select_option(str(sub_branch.pk))
        box.locator("select[name=handler]").select_option(str(handler.pk))

    act(page, "assign", assign)
    assert page.get_by_test_id("status").inner_text() == "已分办"
    assert page.get_by_test_id("handler").inner_text() == "杨洋"
    logout(page)

    # The handler starts, resolves and answers.
    login("rcb_handler")
    page.goto(detail)
    act(page, "start")

    def resolve(box):
        box.locator("textarea[name=findings]").fill("系统延迟，款项已于次日到账")
        box.locator("input[name=is_valid][value='1']").check()
        box.locator("textarea[name=measures]").fill("向客户解释并致歉")

    act(page, "resolve", resolve)
    assert page.get_by_test_id("status").inner_text() == "已办结"

    def answer(box):
        box.locator("input[name=satisfaction][value=satisfied]").check()

    act(page, "answer", answer)
    assert page.get_by_test_id("status").inner_text() == "已反馈"
    logout(page)

    # The manager archives it; the timeline shows every step with names.
    login("rcb_manager")
    page.goto(detail)
    act(page, "archive")
    assert page.get_by_test_id("status").inner_text() == "已归档"
    steps = page.locator("[data-testid=timeline] li")
    assert [steps.nth(i).get_attribute("data-action") for i in range(steps.count())] == [
        "register",
        "assign",
        "start",
        "resolve",
        "answer",
        "archive",
    ]
    timeline = page.get_by_test_id("timeline").inner_text()
    for name in ("黄敏", "陈静", "杨洋"):
        assert name in timeline
    logout(page)

    # Another bank's staff cannot find it.
    login("abc_manager")
    response = page.goto(detail)
    assert response.status == 404
    page.goto(f"{live_server.url}/complaints/?q={tracking}")
    assert tracking not in page.get_by_test_id("complaint-table").inner_text()
