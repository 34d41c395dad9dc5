"""Screenshots for the README's tour, taken in Chromium against a running server.

    make run PORT=8106 &            # or any server with the demo data
    .venv/bin/python docs/screenshots/capture.py --url http://127.0.0.1:8106

Writes docs/screenshots/*.png: the workbench, a complaint page, its print form (print
media, A4 width), the 404 and 403 pages and the login lock-out page. Uses Debian's
Chromium (CHROMIUM_PATH, default /usr/bin/chromium), never a downloaded browser.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PASSWORD = "Demo@2026"  # noqa: S105  # nosec B105 - the demo password make run prints
VIEWPORT = {"width": 1366, "height": 768}


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def shoot(page, name: str, *, full_page: bool = True) -> None:
    path = HERE / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(path.relative_to(HERE.parent.parent))


def capture(base: str) -> None:
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])

        def context():
            return browser.new_context(
                viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai"
            )

        # The supervisor: the workbench, the board's menu, a complaint and its form.
        ctx = context()
        page = ctx.new_page()
        login(page, base, "pbc_supervisor")
        shoot(page, "workbench", full_page=False)
        page.goto(f"{base}/complaints/?q=ATM")
        link = page.locator("table a[href^='/complaints/']").first
        if not link.count():
            page.goto(f"{base}/complaints/")
        href = link.get_attribute("href") or ""
        pk = re.search(r"/complaints/(\d+)/", href).group(1)
        page.goto(f"{base}/complaints/{pk}/")
        shoot(page, "complaint")
        page.goto(f"{base}/complaints/{pk}/print/")
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        shoot(page, "print-form")
        ctx.close()

        # A teller on a page of another role, an address that does not exist.
        ctx = context()
        page = ctx.new_page()
        login(page, base, "abc_handler")
        page.goto(f"{base}/evaluation/")
        shoot(page, "error-403", full_page=False)
        page.goto(f"{base}/complaints/999999/")
        shoot(page, "error-404", full_page=False)
        ctx.close()

        # Six wrong passwords for a user name nobody uses, so no demo user is locked.
        ctx = context()
        page = ctx.new_page()
        for _ in range(6):
            page.goto(f"{base}/login/")
            page.fill("#id_username", "screenshot_lockout")
            page.fill("#id_password", "wrong-password")
            page.click("button[type=submit]")
        shoot(page, "lockout", full_page=False)
        ctx.close()
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    capture(parser.parse_args().url.rstrip("/"))
