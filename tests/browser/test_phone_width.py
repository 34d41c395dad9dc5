"""At a phone's width (390×844) and at 200 % zoom (a 1280 px window is 640 CSS px wide)
the workbench, the list and the board fit the screen: wide tables scroll inside their
own box (.table-scroll) instead of pushing the page sideways, and the top bar stays
under a quarter of the screen's height.

A11Y_SCREENSHOTS=1 also writes the phone-width screenshots docs/accessibility.md shows
(docs/screenshots/phone-*.png)."""

import os
from pathlib import Path

import pytest

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGES = {"workbench": "/", "list": "/complaints/", "board": "/supervision/"}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "zoom200": {"width": 640, "height": 400}}


@pytest.fixture(params=list(VIEWPORTS))
def narrow(request, chromium_browser):
    context = chromium_browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport=VIEWPORTS[request.param]
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield request.param, page
    context.close()


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Demo@2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _layout(page) -> dict:
    return page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
            header: document.querySelector("header").getBoundingClientRect().height,
            viewport: window.innerHeight,
        })"""
    )


def test_main_pages_fit_a_narrow_screen(demo, narrow, live_server):
    name, page = narrow
    _login(page, live_server, "pbc_supervisor")
    found = {}
    for title, path in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        layout = _layout(page)
        found[title] = (
            layout["scroll"] <= layout["client"],
            layout["header"] < layout["viewport"] / 4 if name == "phone" else True,
        )
        if name == "phone" and os.environ.get("A11Y_SCREENSHOTS"):
            page.screenshot(path=str(SHOTS / f"phone-{title}.png"), full_page=False)
        if os.environ.get("A11Y_SHOTS_DIR"):
            page.screenshot(path=f"{os.environ['A11Y_SHOTS_DIR']}/{name}-{title}.png")
    assert found == dict.fromkeys(PAGES, (True, True))


def test_a_wide_table_scrolls_in_its_own_labelled_box(demo, narrow, live_server):
    _name, page = narrow
    _login(page, live_server, "pbc_supervisor")
    page.goto(f"{live_server.url}/supervision/")
    box = page.locator(".table-scroll:has([data-testid=board])")
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("aria-label") == "督查看板（可左右滚动）"
    # The table is wider than its box, which scrolls: the keyboard reaches it (tabindex).
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
