"""A scan of every HTML and JSON response the test suite receives: the full phone or
ID number of a complaint may appear only where the policy shows it in full (the
logged reveal endpoints) or where the user just typed it (the echo of a submitted
intake or import form). Anything else is a leak and fails the test that caused it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

CANDIDATE = re.compile(r"(?<![\dA-Za-z])(?:1[3-9]\d{9}|\d{17}[\dXx])(?![\dA-Za-z])")
ALLOWED_PATHS = re.compile(
    r"^/(complaints/\d+/reveal/|api/v1/complaints/\d+/reveal/|reports/import/)"
)
ECHO_ON_POST = re.compile(r"^/(complaints/new/|api/v1/complaints/?$|reports/import/)")


def _full_values(candidates: set[str]) -> set[str]:
    from complaints.models import Complaint

    if not candidates:
        return set()
    upper = {c.upper() for c in candidates}
    rows = Complaint.objects.filter(complainant_phone__in=candidates).values_list(
        "complainant_phone", flat=True
    )
    ids = Complaint.objects.filter(id_number__in=upper).values_list("id_number", flat=True)
    return set(rows) | set(ids)


def check_response(request_path: str, method: str, response, query: str = "") -> str | None:
    ctype = response.get("Content-Type", "")
    if not ("html" in ctype or "json" in ctype) or getattr(response, "streaming", False):
        return None
    if ALLOWED_PATHS.match(request_path) or (method == "POST" and ECHO_ON_POST.match(request_path)):
        return None
    body = response.content.decode("utf-8", "replace")
    # A value the user typed into the search box is echoed back, not disclosed.
    candidates = {c for c in CANDIDATE.findall(body) if c not in query}
    try:
        leaked = _full_values(candidates)
    except Exception:  # no database in this test, or a broken transaction
        return None
    if leaked:
        return f"{method} {request_path} shows full personal data: {sorted(leaked)}"
    return None


@pytest.fixture(autouse=True)
def pii_response_scan(request, monkeypatch):
    if request.node.get_closest_marker("allow_pii"):
        yield
        return
    leaks: list[str] = []
    original = Client.request

    def scanning(self, **req):
        response = original(self, **req)
        problem = check_response(
            req.get("PATH_INFO", ""),
            req.get("REQUEST_METHOD", "GET"),
            response,
            req.get("QUERY_STRING", ""),
        )
        if problem:
            leaks.append(problem)
        return response

    monkeypatch.setattr(Client, "request", scanning)
    yield
    assert not leaks, leaks
