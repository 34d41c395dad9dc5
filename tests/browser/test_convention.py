"""The county convention in Chromium: the office publishes a new version, records a
bank's signature from its "unsigned" list, and the public directory shows it."""

import re

from django.utils import timezone

from convention.models import ConventionSignature, ConventionVersion
from institutions.models import Institution


def test_publish_sign_and_see_it_on_the_directory(demo, login, page, live_server):
    today = timezone.localdate()
    bank = Institution.objects.get(code="XTB-QH")

    login("pbc_supervisor")
    page.goto(f"{live_server.url}/convention/")
    page.get_by_test_id("publish").click()
    page.fill("#id_label", "2026年修订版")
    page.fill("#id_effective_on", today.isoformat())
    page.fill("#id_text", "第一条 依法合规经营，畅通投诉渠道。")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/convention/versions/\d+/$"))
    assert "第一条 依法合规经营" in page.get_by_test_id("convention-text").inner_text()
    version = ConventionVersion.objects.get(label="2026年修订版")

    # The new version is in force: every bank is to sign it again.
    page.goto(f"{live_server.url}/convention/")
    assert "2026年修订版" in page.get_by_test_id("current-version").inner_text()
    page.get_by_test_id("show-unsigned").click()
    row = page.locator("[data-testid=signature-status] tr", has_text=bank.name)
    row.get_by_role("link").click()
    page.fill("#id_signed_on", today.isoformat())
    page.fill("#id_signer_name", "冯志刚")
    page.fill("#id_signer_title", "行长")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{live_server.url}/convention/")
    row = page.locator("[data-testid=signature-status] tr", has_text=bank.name)
    assert "已签署" in row.inner_text()
    sig = ConventionSignature.objects.get(version=version)
    assert (sig.institution_id, sig.signer_name, sig.signer_title) == (bank.pk, "冯志刚", "行长")

    # The public directory, no login needed.
    page.context.clear_cookies()
    badge = f"已签署《公约》（2026年修订版，{today:%Y-%m-%d}）"
    page.goto(f"{live_server.url}/portal/directory/{bank.pk}/")
    assert page.get_by_test_id("convention-signed").inner_text() == badge
    page.goto(f"{live_server.url}/portal/directory/")
    item = page.locator(f"[data-testid=directory-item][data-pk='{bank.pk}']")
    assert item.get_by_test_id("convention-signed").inner_text() == badge
