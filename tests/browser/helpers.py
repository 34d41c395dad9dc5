"""Steps shared by the browser tests."""

import re


def act(page, action: str, fill=None):
    """Open the detail page's form for ``action``, let ``fill`` complete it, submit."""
    box = page.locator(f'details[data-offered-action="{action}"]')
    box.locator("summary").click()
    if fill:
        fill(box)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def logout(page):
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r".*/login/.*"))
