"""The site works in Chromium under its Content-Security-Policy (config/middleware.py):
every role's main pages, the admin and the API docs load without a single violation,
and the scripted parts (htmx, the intake's handler list, the language switch, the
admin export's "select all") still work."""

import re

import pytest
from django.urls import reverse

from complaints.models import Complaint
from institutions.models import Institution
from tests.browser.helpers import logout

# Runs in every document before its own scripts (Playwright's init scripts are not
# subject to the page's policy) and records what the policy refused.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@pytest.fixture
def watched(page):
    """The page with CSP violations collected from events and the console."""
    console: list[str] = []
    page.context.add_init_script(LISTEN)
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.csp_console = console
    return page


def visit(page, url: str) -> None:
    """Load ``url``, wait for its scripts and requests, and fail on any violation."""
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, url
    assert "default-src 'self'" in response.headers["content-security-policy"], url
    assert_clean(page, url)


def assert_clean(page, where: str) -> None:
    events = page.evaluate("window.__cspViolations || []")
    assert not events, f"{where}: {events}"
    assert not page.csp_console, f"{where}: {page.csp_console}"
    page.csp_console.clear()


def nav_links(page, base: str) -> list[str]:
    hrefs = page.locator("nav.mainnav a").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    return [base + h for h in dict.fromkeys(hrefs) if h and h.startswith("/")]


@pytest.mark.parametrize("username", ["abc_teller", "abc_handler", "abc_manager", "pbc_supervisor"])
def test_main_pages_of_each_role_load_without_csp_violations(
    demo, login, watched, live_server, username
):
    base = live_server.url
    login(username)
    assert_clean(watched, "home")
    pages = nav_links(watched, base)
    assert len(pages) >= 3, pages
    pages += [base + reverse("notifications:list"), base + reverse("password_change")]
    for url in pages:
        visit(watched, url)
    # The first complaint in the user's list, and its print form.
    watched.goto(base + reverse("complaints:list"))
    hrefs = watched.locator("a[href^='/complaints/']").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    href = next(h for h in hrefs if re.fullmatch(r"/complaints/\d+/", h))
    visit(watched, base + href)
    visit(watched, base + href + "print/")


def test_htmx_reveal_and_bell_work_under_the_policy(demo, login, watched, live_server):
    base = live_server.url
    watched.clock.install()
    login("abc_manager")
    complaint = (
        Complaint.objects.filter(handling_institution__code__startswith="ABC")
        .exclude(contact_address="")
        .first()
    )
    visit(watched, f"{base}/complaints/{complaint.pk}/")
    assert watched.locator("#complaint-main").get_attribute("data-level") == "detail"
    # The reveal is an htmx POST that swaps the page's main part in place.
    with watched.expect_response(lambda r: r.url.endswith(f"/complaints/{complaint.pk}/reveal/")):
        watched.get_by_test_id("reveal").click()
    watched.wait_for_selector("#complaint-main[data-level=full]")
    assert watched.get_by_test_id("party-phone").inner_text() == complaint.complainant_phone
    assert watched.url == f"{base}/complaints/{complaint.pk}/"  # swapped, not navigated
    # The bell polls every 60 s through htmx.
    with watched.expect_response(lambda r: "/notifications/bell/" in r.url) as bell:
        watched.clock.run_for(61_000)
    assert bell.value.status == 200
    watched.wait_for_selector("#bell [data-testid=unread-count]")
    assert_clean(watched, "after reveal and bell")


def test_intake_handler_list_and_language_switch_work(demo, login, watched, live_server):
    base = live_server.url
    login("pbc_supervisor")
    visit(watched, f"{base}/complaints/new/")
    bank = Institution.objects.get(code="ABC-QH")
    with watched.expect_response(lambda r: "/complaints/handlers/" in r.url):
        watched.select_option("#id_d-dispatch_institution", str(bank.pk))
    handlers = watched.locator("#id_d-dispatch_handler option")
    # A locator wait, not wait_for_function: the page's CSP forbids eval.
    watched.wait_for_selector("#id_d-dispatch_handler option:nth-child(2)", state="attached")
    assert handlers.count() > 1
    # The category follows the JR/T cause (static/js/intake.js).
    watched.select_option("#id_cause", label="金融机构服务设施、设备、业务系统")
    assert watched.locator("#id_category option:checked").inner_text().startswith("服务渠道")
    # The language select submits its form (static/js/app.js).
    with watched.expect_navigation():
        watched.select_option("form.lang select", "en")
    assert watched.locator("html").get_attribute("lang") == "en"
    assert_clean(watched, "intake")
    with watched.expect_navigation():
        watched.select_option("form.lang select", "zh-hans")
    assert watched.locator("html").get_attribute("lang") == "zh-hans"
    logout(watched)


@pytest.mark.parametrize("username", ["sysadmin", "admin"])
def test_admin_pages_and_export_work_under_the_policy(demo, login, watched, live_server, username):
    base = live_server.url
    login(username)
    visit(watched, f"{base}/admin/")
    links = watched.locator("#content-main a[href$='/']").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    changelists = [h for h in dict.fromkeys(links) if re.fullmatch(r"/admin/\w+/\w+/", h)]
    assert changelists
    for href in changelists[:12]:
        visit(watched, base + href)
    if "/admin/complaints/complaint/" in changelists:
        complaint = Complaint.objects.first()
        visit(watched, f"{base}/admin/complaints/complaint/{complaint.pk}/change/")
        visit(watched, f"{base}/admin/complaints/complaint/export/")
        boxes = watched.locator(".selectable-field-export-row input[type=checkbox]")
        assert boxes.count() > 5
        watched.locator("input.select-toggle").uncheck()
        assert boxes.evaluate_all("els => els.filter(e => e.checked).length") == 0
        watched.locator("input.select-toggle").check()
        assert boxes.evaluate_all("els => els.every(e => e.checked)")
    assert_clean(watched, "admin")


def test_api_docs_render_under_the_policy(demo, login, watched, live_server):
    login("abc_manager")
    visit(watched, f"{live_server.url}/api/docs/")
    watched.wait_for_selector(".swagger-ui .info .title")
    assert "API" in watched.locator(".swagger-ui .info .title").inner_text()
    watched.wait_for_selector(".opblock-tag-section")
    assert_clean(watched, "api docs")
