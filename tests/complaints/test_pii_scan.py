"""The leak scan itself (tests/pii_scan.py): it must flag a number from a complaint's
free text shown in full, and only outside the reveal and the echo of a form."""

import json

import pytest
from django.http import HttpResponse

from tests.pii_scan import check_response

from .pii_text import (
    ACCOUNT,
    ACCOUNT_FIELD,
    CARD,
    CARD_GROUPED,
    DESCRIPTION,
    ID_X,
    complaint_with_numbers,
)


def _html(text: str) -> HttpResponse:
    return HttpResponse(f"<p>{text}</p>", content_type="text/html; charset=utf-8")


@pytest.mark.parametrize(
    "shown",
    [
        f"卡号{CARD}",
        CARD_GROUPED,
        f"账号：{ACCOUNT}",
        f"证件 {ID_X}",
        f"账户 {ACCOUNT_FIELD}",  # the structured field
        f"13800000000 {CARD}",  # inside a longer run of digits
    ],
)
def test_scan_flags_a_number_from_free_text_shown_in_full(county, intake, shown):
    c = complaint_with_numbers(county, intake)
    problem = check_response(f"/complaints/{c.pk}/", "GET", _html(shown))
    assert problem is not None
    assert problem.startswith(f"GET /complaints/{c.pk}/ shows full personal data")


def test_scan_flags_a_json_timeline_in_full(county, intake):
    c = complaint_with_numbers(county, intake)
    note = c.timeline.get(action="assign").note
    body = json.dumps({"results": [{"note": note}]}, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json")
    assert check_response(f"/api/v1/complaints/{c.pk}/timeline/", "GET", response)


def test_scan_passes_masks_reveals_echoes_and_codes(county, intake):
    c = complaint_with_numbers(county, intake)
    full = _html(DESCRIPTION)
    assert check_response(f"/complaints/{c.pk}/", "GET", _html("卡号***************0123")) is None
    assert check_response(f"/complaints/{c.pk}/reveal/", "POST", full) is None
    assert check_response(f"/api/v1/complaints/{c.pk}/reveal/", "POST", full) is None
    assert check_response(f"/complaints/{c.pk}/act/resolve/", "POST", full) is None
    assert check_response(f"/complaints/{c.pk}/act/resolve/", "GET", full) is not None
    assert check_response("/complaints/", "GET", _html(c.tracking_no)) is None
    # A number the user typed into the search box comes back in the page.
    assert check_response("/complaints/", "GET", _html(CARD), query=f"q={CARD}") is None
