"""A scan of every HTML and JSON response the test suite receives: the full phone,
ID or account number of a complaint, or a card, account, mobile or ID number written
into a complaint's free text (its texts, timeline notes and payloads, urges,
extension requests), may appear only where the policy shows it in full (the logged
reveal endpoints) or where the user just typed it (the echo of a submitted intake,
action or import form). Anything else is a leak and fails the test that caused it."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client

CANDIDATE = re.compile(r"(?<![\dA-Za-z])(?:1[3-9]\d{9}|\d{17}[\dXx])(?![\dA-Za-z])")
# Any run of 10+ digits, also written in groups (6222 0212 …), with an ID's X; not
# the tail of a code such as a tracking number (A-OUT1-20261126-007).
LONG_NUMBER = re.compile(r"(?<!\d)(?<![0-9A-Za-z]-)\d(?:[ \-]?\d){9,}[Xx]?")
ALLOWED_PATHS = re.compile(
    r"^/(complaints/\d+/reveal/|api/v1/complaints/\d+/reveal/|reports/import/)"
)
ECHO_ON_POST = re.compile(
    r"^/(complaints/new/|complaints/\d+/act/[a-z_]+/|api/v1/complaints/?$|reports/import/"
    r"|portal/complain/)"
)


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


def stored_numbers() -> set[str]:
    """The digits of every number that must not be shown in full: each complaint's
    account number and every number ``complaints.masking`` finds in the free text
    stored about a complaint."""
    from complaints import pii
    from complaints.masking import numbers_in_text
    from complaints.models import Complaint, ExtensionRequest, TimelineEntry, Urge

    numbers = set(
        Complaint.objects.exclude(account_number="").values_list("account_number", flat=True)
    )
    texts: list[str] = []
    for row in Complaint.objects.values_list(*pii.FREE_TEXT_FIELDS):
        texts.extend(row)
    for note, payload in TimelineEntry.objects.values_list("note", "payload"):
        texts += [note, json.dumps(payload, ensure_ascii=False)]
    texts += Urge.objects.values_list("note", flat=True)
    for row in ExtensionRequest.objects.values_list("reason", "decision_note"):
        texts.extend(row)
    for text in texts:
        numbers.update(numbers_in_text(text or ""))
    return numbers


def _shown_in_full(body: str, query: str) -> set[str]:
    runs = {re.sub(r"[ \-]", "", r).upper() for r in LONG_NUMBER.findall(body)}
    runs = {r for r in runs if r not in re.sub(r"[ \-+]|%20", "", query)}
    if not runs:
        return set()
    return {n for n in stored_numbers() if any(n in r for r in runs)}


def check_response(request_path: str, method: str, response, query: str = "") -> str | None:
    ctype = response.get("Content-Type", "")
    if not ("html" in ctype or "json" in ctype) or getattr(response, "streaming", False):
        return None
    if ALLOWED_PATHS.match(request_path) or (method == "POST" and ECHO_ON_POST.match(request_path)):
        return None
    body = response.content.decode("utf-8", "replace")
    # A value the user typed into the search box is echoed back, not disclosed.
    candidates = {c for c in CANDIDATE.findall(body) if c not in query}
    # The scan's own queries are not the application's: keep them out of the counts
    # that django_assert_num_queries takes around the request.
    saved, connection.force_debug_cursor = connection.force_debug_cursor, False
    try:
        leaked = _full_values(candidates) | _shown_in_full(body, query)
    except Exception:  # no database in this test, or a broken transaction
        return None
    finally:
        connection.force_debug_cursor = saved
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
