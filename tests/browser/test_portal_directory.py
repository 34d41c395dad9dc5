"""A person with only a phone (375 px wide) finds an outlet in the public directory
by searching, opens its page and its poster, and the QR code on the poster — read
from the rendered pixels by a real decoder — leads to the online complaint form
pre-set for that outlet. Nobody signs in."""

import io

import pytest
import zxingcpp
from django.conf import settings
from PIL import Image

from institutions.models import Institution
from tests.browser.test_csp import LISTEN

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(chromium_browser):
    context = chromium_browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    context.add_init_script(LISTEN)  # collects Content-Security-Policy violations
    pg = context.new_page()
    yield pg
    context.close()


def test_phone_finds_an_outlet_and_its_poster(demo, phone, live_server):
    outlet = Institution.objects.get(code="RCB-QH-0201")
    phone.goto(f"{live_server.url}/portal/directory/")
    assert phone.locator("h1").inner_text() == "投诉渠道公示"
    # Nothing overflows the phone's width.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.fill("input[name=q]", "油坊")
    phone.locator("[data-testid=directory-search] button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    items = phone.locator("[data-testid=directory-item]")
    assert items.count() == 2  # the sub-branch and its credit cooperative
    item = phone.locator(f'[data-testid=directory-item][data-pk="{outlet.pk}"]')
    assert outlet.complaint_phone in item.inner_text()
    assert phone.evaluate("window.__cspViolations") == []

    item.locator("a.pd-name").click()
    phone.wait_for_url(f"**/portal/directory/{outlet.pk}/")
    card = phone.locator("[data-testid=institution-page]")
    assert outlet.name in card.inner_text()
    assert "12363" in card.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.evaluate("window.__cspViolations") == []

    phone.locator("[data-testid=poster-link]").click()
    phone.wait_for_url(f"**/portal/directory/{outlet.pk}/poster/")
    qr = phone.locator("[data-testid=poster-qr] svg")
    shot = Image.open(io.BytesIO(qr.screenshot()))
    decoded = [r.text for r in zxingcpp.read_barcodes(shot)]
    assert decoded == [f"{settings.SITE_URL.rstrip('/')}/portal/complain/?to={outlet.pk}"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.evaluate("window.__cspViolations") == []


def test_poster_prints_on_one_a4_page(demo, page, live_server):
    from pypdf import PdfReader

    outlet = Institution.objects.get(code="ABC-QH-01")
    page.goto(f"{live_server.url}/portal/directory/{outlet.pk}/poster/")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert outlet.complaint_phone in text
    assert "打印" not in text  # the tools bar is not printed
