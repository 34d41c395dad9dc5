"""Response headers (config/middleware.py): no signed-in response is stored by a
browser or proxy, HTML pages carry the Content-Security-Policy, and nothing in a
template needs an inline script, event handler or style to work under it."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from config.middleware import SecurityHeadersMiddleware
from tests.complaints.helpers import complaint_in_state

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def test_default_policy_is_the_strict_one():
    assert settings.CONTENT_SECURITY_POLICY == POLICY
    assert settings.CONTENT_SECURITY_POLICY_REPORT_ONLY is False


def test_browser_pages_with_personal_data_are_no_store_and_carry_the_csp(client, county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    client.force_login(county.a_manager)
    pages = [
        client.get(reverse("home")),
        client.get(reverse("complaints:list")),
        client.get(reverse("complaints:create")),
        client.get(reverse("complaints:detail", args=[c.pk])),
        client.get(reverse("complaints:print", args=[c.pk])),
        client.post(reverse("complaints:reveal", args=[c.pk]), HTTP_HX_REQUEST="true"),
        client.get(reverse("notifications:list")),
        client.get(reverse("notifications:bell")),
    ]
    for response in pages:
        assert response.status_code == 200, response.request
        assert response["Cache-Control"] == "no-store", response.request["PATH_INFO"]
        assert response["Content-Security-Policy"] == POLICY, response.request["PATH_INFO"]


def test_api_answers_to_a_signed_in_caller_are_no_store(county, intake):
    c = complaint_in_state(county, intake(), "in_progress")
    token, _ = Token.objects.get_or_create(user=county.a_manager)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    answers = [
        api.get(reverse("api:complaint-list")),
        api.get(reverse("api:complaint-detail", args=[c.pk])),
        api.get(reverse("api:complaint-timeline", args=[c.pk])),
        api.post(reverse("api:complaint-reveal", args=[c.pk])),
    ]
    for response in answers:
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        assert response["Content-Type"] == "application/json"
        assert "Content-Security-Policy" not in response  # a policy is for pages


def test_admin_export_download_is_no_store(client, county, intake):
    complaint_in_state(county, intake(), "registered")
    client.force_login(county.regulator)
    response = client.post(
        reverse("admin:complaints_complaint_export"),
        {"format": "1", "resource": "0", "complaintexportresource_tracking_no": "on"},
    )
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.max_row == 2
    assert "no-store" in response["Cache-Control"]


def test_admin_pages_carry_the_csp(client, county):
    client.force_login(county.regulator)
    response = client.get(reverse("admin:complaints_complaint_changelist"))
    assert response["Content-Security-Policy"] == POLICY
    assert "no-store" in response["Cache-Control"]  # the admin's own never_cache


def test_anonymous_pages_carry_the_csp(client, db):
    response = client.get(reverse("login"))
    assert response["Content-Security-Policy"] == POLICY


def _respond(request, response):
    return SecurityHeadersMiddleware(lambda r: response)(request)


def test_a_view_that_decides_its_own_caching_and_policy_keeps_them(county):
    request = RequestFactory().get("/publicity/photo/")
    request.user = county.a_manager
    own = HttpResponse(b"x", content_type="text/html")
    own["Cache-Control"] = "private, max-age=3600"
    own["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response = _respond(request, own)
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_anonymous_responses_are_not_marked_no_store(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/login/")
    request.user = AnonymousUser()
    response = _respond(request, HttpResponse(b"x", content_type="text/html"))
    assert "Cache-Control" not in response
    assert response["Content-Security-Policy"] == POLICY


@override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=True)
def test_report_only_switch_sends_the_policy_to_be_reported_only(client, db):
    response = client.get(reverse("login"))
    assert response["Content-Security-Policy-Report-Only"] == POLICY
    assert "Content-Security-Policy" not in response


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_keep_their_caching_for_a_signed_in_user(county):
    client = Client()  # a new handler: WhiteNoise reads the settings above
    client.force_login(county.a_manager)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Content-Security-Policy" not in response


# --- nothing inline ----------------------------------------------------------------------

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    p
    for p in ROOT.glob("**/templates/**/*.html")
    if not {".venv", "staticfiles", "node_modules"} & set(p.relative_to(ROOT).parts)
)
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_style(path):
    text = path.read_text(encoding="utf-8")
    found = [name for name, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{path.relative_to(ROOT)}: {found}"
