"""Screenshots of the public directory (docs/portal.md), taken in Chromium
at a phone's width against a running server with the demo data:

    make run PORT=8106 &
    .venv/bin/python docs/screenshots/capture_directory.py --url http://127.0.0.1:8106

Writes docs/img/portal-directory.png (a search on a 375 px phone), portal-outlet.png
(an outlet's page), portal-poster.png (its A4 poster) and portal-incomplete.png (the
office's chase list). Uses Debian's Chromium, never a downloaded browser.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

IMG = Path(__file__).resolve().parent.parent / "img"
PASSWORD = "Demo@2026"  # noqa: S105  # nosec B105 - the demo password make run prints
PHONE = {"width": 375, "height": 812}


def capture(base: str) -> None:
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        phone = browser.new_context(
            locale="zh-CN", viewport=PHONE, device_scale_factor=2, is_mobile=True
        ).new_page()
        phone.goto(f"{base}/portal/directory/")
        phone.fill("input[name=q]", "农商行")
        phone.locator("[data-testid=directory-search] button[type=submit]").click()
        phone.wait_for_load_state("networkidle")
        phone.screenshot(path=str(IMG / "portal-directory.png"))
        phone.locator("[data-testid=directory-item] a.pd-name").last.click()
        phone.wait_for_load_state("networkidle")
        phone.screenshot(path=str(IMG / "portal-outlet.png"))
        desk = browser.new_context(locale="zh-CN", viewport={"width": 900, "height": 1000})
        page = desk.new_page()
        page.goto(phone.url + "poster/")
        page.screenshot(path=str(IMG / "portal-poster.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 520})
        page.goto(f"{base}/login/")
        page.fill("#id_username", "pbc_supervisor")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/portal/office/directory/incomplete/")
        page.screenshot(path=str(IMG / "portal-incomplete.png"))
        browser.close()
    for name in ("directory", "outlet", "poster", "incomplete"):
        print(f"docs/img/portal-{name}.png")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    capture(parser.parse_args().url.rstrip("/"))
