"""The complaint list's API pages count at most ``count_limit`` rows, like the
browser list: exact below it, ``null`` beyond it, and paging goes on either way."""

from __future__ import annotations

import pytest
from django.urls import reverse

from api.pagination import BoundedPageNumberPagination
from complaints import selectors
from tests.complaints.factories import ComplaintFactory


@pytest.fixture
def seven(county, categories):
    return [
        ComplaintFactory(
            complained_institution=county.a_out1,
            category=categories["服务态度"],
            first_responder=county.a_teller,
        )
        for _ in range(7)
    ]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(BoundedPageNumberPagination, "page_size", 3)
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 4)


def test_count_is_exact_below_the_limit(api, county, seven, categories):
    body = api(county.a_manager).get(reverse("api:complaint-list")).json()
    assert body["count"] == 7
    assert body["count_limit"] == 1000
    assert len(body["results"]) == 7


def test_past_the_limit_count_is_null_and_pages_go_on(api, county, seven, small_pages):
    client = api(county.a_manager)
    url = reverse("api:complaint-list")
    first = client.get(url).json()
    assert first["count"] is None
    assert first["count_limit"] == 4
    seen = [c["id"] for c in first["results"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [c["id"] for c in page["results"]]
    assert sorted(seen) == sorted(c.pk for c in seven)  # every row once
    assert client.get(url + "?page=4").status_code == 404


def test_another_bank_sees_a_count_of_zero(api, county, seven):
    body = api(county.b_manager).get(reverse("api:complaint-list")).json()
    assert (body["count"], body["results"], body["next"]) == (0, [], None)
