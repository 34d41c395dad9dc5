"""``GET /api/v1/complaints/?q=``: the keyword search through the API, hostile
input answered with results or a 400 that says why, never a 500."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.complaints.helpers import register


def _numbers(response) -> set[str]:
    return {row["tracking_no"] for row in response.json()["results"]}


def test_q_finds_free_text_within_scope(api, county, intake):
    a = register(county, intake(description="信用卡年费未经告知即被扣费"))
    register(county, intake(description="柜员态度差", complainant_phone="13900001111"))
    response = api(county.a_manager).get("/api/v1/complaints/", {"q": "扣费"})
    assert response.status_code == 200
    assert _numbers(response) == {a.tracking_no}
    assert _numbers(api(county.b_manager).get("/api/v1/complaints/", {"q": "扣费"})) == set()


@pytest.mark.parametrize(
    ("q", "hit"),
    [
        ("%", False),
        ("_", False),
        ("\\", False),
        ("100%_\\", False),
        ("' OR 1=1; DROP TABLE x; --", False),
        ("😀 理财", True),
        ("\x07理财", True),  # a control character separates words
    ],
)
def test_hostile_q_is_answered(api, county, intake, q, hit):
    c = register(county, intake(description="理财 100%"))
    response = api(county.a_manager).get("/api/v1/complaints/", {"q": q})
    assert response.status_code == 200
    assert _numbers(response) == ({c.tracking_no} if hit else set())


@pytest.mark.parametrize("q", ["理财\x00", "x" * 10_000])
def test_invalid_q_is_400_with_the_reason(api, county, intake, q):
    register(county, intake(description="理财"))
    response = api(county.a_manager).get("/api/v1/complaints/", {"q": q})
    assert response.status_code == 400
    assert "q" in str(response.json())


def test_a_keyword_search_is_counted_in_the_list_order(api, county, intake):
    register(county, intake(description="理财产品亏损"))
    for q, ordered in (("理财", True), ("", False)):
        with CaptureQueriesContext(connection) as queries:
            assert api(county.a_manager).get("/api/v1/complaints/", {"q": q}).json()["count"] == 1
        (count,) = [x["sql"] for x in queries.captured_queries if "LIMIT 1001" in x["sql"]]
        assert ("ORDER BY" in count) is ordered
