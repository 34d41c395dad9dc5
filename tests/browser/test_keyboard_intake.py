"""A teller registers a complaint with the keyboard alone (Tab, typing, arrow keys,
Enter through page.keyboard: no clicks, no fill): the skip link is the first stop,
the intake form opens with the cursor in its first field, and a failed submit moves
the focus to the error summary, whose links lead to the fields."""

import re

from complaints.models import Complaint


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
            return {id: el.id, tag: el.tagName.toLowerCase(), text: el.textContent.trim(),
                    summary: el.hasAttribute("data-error-summary")}; }"""
    )


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element ``selector`` names has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}; stuck on {_focused(page)}")


def _keyboard_login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    tab_to(page, "#id_username")  # where the login page opens (autofocus)
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("Demo@2026")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")


def _to_intake(page) -> None:
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "跳到主要内容"  # the first stop of every page
    page.keyboard.press("Enter")  # past the top bar and its dozen links
    assert _focused(page)["id"] == "main"
    tab_to(page, "a[data-shortcut=new]", limit=10)  # 登记新投诉 on the workbench
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/complaints/new/$"))
    assert _focused(page)["id"] == "id_intake_source"  # autofocus


def test_teller_registers_a_complaint_with_the_keyboard_only(demo, page, live_server):
    _keyboard_login(page, live_server, "rcb_teller")
    _to_intake(page)
    page.keyboard.press("ArrowDown")  # another source: the select follows the arrows
    assert page.locator("#id_intake_source").input_value() != "phone"
    for field, text in [
        ("#id_complainant_name", "钱多多"),
        ("#id_complainant_phone", "13977772222"),
        ("#id_description", "手机银行转账提示成功但对方未收到款项"),
        ("#id_demand", "尽快查明资金去向"),
    ]:
        tab_to(page, field)
        page.keyboard.type(text)
    tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")  # the first category
    assert page.locator("#id_category").input_value() != ""
    tab_to(page, "#intake-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/complaints/\d+/$"))
    assert page.get_by_test_id("status").inner_text() == "已登记"
    c = Complaint.objects.get(tracking_no=page.get_by_test_id("tracking-no").inner_text())
    assert (c.complainant_name, c.demand, c.first_responder.username) == (
        "钱多多",
        "尽快查明资金去向",
        "rcb_teller",
    )


def test_failed_submit_moves_the_focus_to_the_error_summary(demo, page, live_server):
    _keyboard_login(page, live_server, "rcb_teller")
    _to_intake(page)
    tab_to(page, "#id_complainant_name")
    page.keyboard.type("钱多多")
    page.keyboard.press("Enter")  # submits the form with most of it empty
    page.wait_for_selector("[data-error-summary]")
    focused = _focused(page)
    assert focused["summary"] is True
    assert focused["text"].startswith("提交未成功，请修改以下")
    page.keyboard.press("Tab")  # the summary's first link…
    first = _focused(page)
    assert first["tag"] == "a"
    assert first["text"].startswith("联系电话：")
    page.keyboard.press("Enter")  # …leads to its field
    assert _focused(page)["id"] == "id_complainant_phone"
    assert page.locator("#id_complainant_name").input_value() == "钱多多"  # kept
