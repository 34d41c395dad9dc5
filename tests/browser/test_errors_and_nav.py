"""What a user sees when something is refused or missing, and the top bar at a
common office screen width (1366 px) in both languages."""

import re

import pytest

from institutions.demo import USERS


def _english(page, live_server):
    with page.expect_navigation():
        page.select_option("form.lang select", "en")
    page.wait_for_load_state("networkidle")


def test_teller_on_supervision_page_sees_chinese_page_and_goes_back(demo, login, page):
    login("abc_teller")
    page.goto(page.url + "supervision/")
    assert page.locator("h1").inner_text() == "页面不存在"
    assert page.locator("nav.mainnav").is_visible()  # inside the normal layout
    page.get_by_role("link", name="上一页").click()
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "我的工作台"


def test_handler_on_appraisal_sees_chinese_403_with_way_to_workbench(demo, login, page):
    login("abc_handler")
    home = page.url
    response = page.goto(home + "evaluation/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "无权访问此页面"
    assert "Forbidden" not in page.content()
    page.get_by_role("link", name="返回工作台").click()
    page.wait_for_url(home)
    assert page.locator("h1").inner_text() == "我的工作台"


def test_unknown_address_is_not_the_debug_page(demo, page, live_server):
    response = page.goto(f"{live_server.url}/complaints/999999/nothing/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    assert "URLconf" not in page.content()
    page.get_by_role("link", name="返回登录页").click()
    assert page.locator("h1").inner_text() == "登录"


def test_locked_out_user_sees_lockout_page_in_the_same_style(demo, page, live_server, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "abc_teller")
        page.fill("#id_password", "not-the-password")
        page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "账号已暂时锁定"
    assert page.locator("section.error-page [role=alert]").is_visible()
    page.get_by_role("link", name="返回登录页").click()
    assert page.locator("h1").inner_text() == "登录"


def test_language_menu_names_each_language_in_itself(demo, login, page, live_server):
    login("abc_teller")
    options = page.locator("form.lang option").all_inner_texts()
    assert [o.strip() for o in options] == ["简体中文", "English"]
    _english(page, live_server)
    options = page.locator("form.lang option").all_inner_texts()
    assert [o.strip() for o in options] == ["简体中文", "English"]


def _rows(page) -> int:
    """How many rows the top bar's items take (their distinct tops)."""
    tops = page.evaluate(
        """() => Array.from(document.querySelectorAll(
              '.topbar > .brand, .mainnav > a, .mainnav > details > summary, .who, .lang'))
            .map(el => Math.round(el.getBoundingClientRect().top))"""
    )
    # Items of one row differ by a few pixels (their own heights); a second row
    # starts at least a line lower.
    rows = 1
    first = min(tops)
    for top in sorted(tops):
        if top - first > 12:
            rows += 1
            first = top
    return rows


@pytest.mark.parametrize("username", [u[0] for u in USERS])
def test_top_bar_is_one_row_at_1366_in_both_languages(demo, login, page, live_server, username):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(username)
    assert _rows(page) == 1, "Chinese"
    _english(page, live_server)
    assert page.locator("h1").inner_text() == "My workbench"
    assert _rows(page) == 1, "English"


def test_more_menu_opens_with_keyboard_and_closes_with_escape(demo, login, page, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    login("pbc_supervisor")
    summary = page.locator("details.nav-more > summary")
    menu = page.locator(".nav-more-menu")
    assert not menu.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "宣传教育"
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    summary.click()
    page.get_by_role("link", name="考核评价").click()
    assert page.locator("h1").first.inner_text().startswith("考核")


def test_english_complaint_page_has_english_actions_and_message(demo, login, page, live_server):
    login("abc_manager")
    _english(page, live_server)
    page.goto(f"{live_server.url}/complaints/?status=registered")
    page.locator("table a[href^='/complaints/']").first.click()
    summaries = page.locator("details[data-offered-action] > summary").all_inner_texts()
    assert "Assign" in summaries
    # What the reader sees once entered data (names, complaint text) is taken out.
    visible = page.evaluate(
        """() => { const copy = document.body.cloneNode(true);
                   copy.querySelectorAll('[data-user-content], option[lang], script')
                       .forEach(el => el.remove());
                   return copy.innerText; }"""
    )
    assert not re.search(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", visible), visible
    box = page.locator('details[data-offered-action="supervise"]')
    box.locator("summary").click()
    box.locator("textarea").first.fill("Please call the customer back today.")
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".msg.success").inner_text().startswith("Done")
