"""The keyword search in the free text: every write path keeps the text current,
the list finds substrings within the user's scope and filters, and never shows the
personal data written in the text it matched."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import search, selectors
from complaints.models import ComplaintSearch
from complaints.workflow import complaint_act

from .helpers import register


def _found(user, q: str, **filters) -> set[str]:
    f = selectors.ComplaintFilters(q=q, **filters)
    return set(selectors.complaint_list_for_user(user, f).values_list("tracking_no", flat=True))


def test_two_character_word_is_found_inside_a_sentence(county, intake):
    a = register(county, intake(description="客户称理财产品到期收益与宣传不符"))
    register(county, intake(description="柜员态度差", complainant_phone="13900001111"))
    assert _found(county.a_manager, "理财") == {a.tracking_no}
    assert _found(county.a_manager, "理财产品到期") == {a.tracking_no}
    assert _found(county.a_manager, "财理") == set()


def test_every_word_must_appear_and_full_width_is_folded(county, intake):
    a = register(county, intake(description="ＡＴＭ吞卡", demand="要求退还年费"))
    assert _found(county.a_manager, "atm 年费") == {a.tracking_no}
    assert _found(county.a_manager, "atm 盗刷") == set()


def test_single_character_finds_no_free_text(county, intake):
    register(county, intake(description="理财"))
    assert _found(county.a_manager, "理") == set()


def test_search_stays_within_scope_and_filters(county, intake, categories):
    a = register(county, intake(description="信用卡被盗刷"))
    b = register(
        county,
        intake(
            description="信用卡被盗刷",
            complainant_phone="13900001111",
            complained_institution=county.b_out1,
        ),
        actor=county.b_teller,
    )
    assert _found(county.a_manager, "盗刷") == {a.tracking_no}
    assert _found(county.b_manager, "盗刷") == {b.tracking_no}
    assert _found(county.a_manager, "盗刷", complexity="complex") == set()


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans are PostgreSQL's"
)


@postgresql_only
@pytest.mark.parametrize(
    ("common_share", "probe_from", "plan"),
    [
        (1.0, search.PROBE_FROM, "= ANY("),  # every word rare: ids from the GIN index
        (-1.0, search.PROBE_FROM, "OFFSET 0)"),  # every word common: probe row by row
        (1.0, 1, "OFFSET 0)"),  # rare, but more ids than PROBE_FROM: probe instead
    ],
)
def test_both_plans_find_the_same_complaints(
    county, intake, monkeypatch, common_share, probe_from, plan
):
    a = register(county, intake(description="客户称理财产品到期收益与宣传不符"))
    b = register(
        county,
        intake(description="理财经理误导", demand="要求退还本金", complainant_phone="13900001111"),
    )
    register(county, intake(description="柜员态度差", complainant_phone="13900002222"))
    monkeypatch.setattr(search, "COMMON_SHARE", common_share)
    monkeypatch.setattr(search, "PROBE_FROM", probe_from)
    with CaptureQueriesContext(connection) as queries:
        assert _found(county.a_manager, "理财") == {a.tracking_no, b.tracking_no}
    assert plan in queries.captured_queries[-1]["sql"]
    assert _found(county.a_manager, "理财 退还") == {b.tracking_no}
    assert _found(county.a_manager, "财理") == set()
    assert _found(county.a_manager, "理财", complexity="complex") == set()
    assert _found(county.b_manager, "理财") == set()


@postgresql_only
def test_plan_follows_the_share_of_the_newest_rows(county, intake, monkeypatch):
    register(county, intake(description="理财产品亏损"))
    register(county, intake(description="理财经理误导", complainant_phone="13900001111"))
    register(county, intake(description="信用卡被盗刷", complainant_phone="13900002222"))
    monkeypatch.setattr(search, "COMMON_SHARE", 0.5)

    def plan(q: str) -> str:
        with CaptureQueriesContext(connection) as queries:
            _found(county.a_manager, q)
        return queries.captured_queries[-1]["sql"]

    assert "OFFSET 0)" in plan("理财")  # two of three: common
    assert "= ANY(" in plan("盗刷")  # one of three: rare
    assert "OFFSET 0)" not in plan("盗刷")


def test_a_keyword_search_is_counted_in_the_list_order(client, county, intake):
    register(county, intake(description="理财产品亏损"))
    client.force_login(county.a_manager)
    for q, ordered in (("理财", True), ("", False)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("complaints:list"), {"q": q})
        assert response.context["page"].paginator.count == 1
        (count,) = [x["sql"] for x in queries.captured_queries if "LIMIT 1001" in x["sql"]]
        assert ("ORDER BY" in count) is ordered


def test_action_text_and_notes_become_searchable(county, intake):
    c = register(county, intake())
    assert _found(county.a_manager, "录像显示") == set()
    complaint_act(
        actor=county.a_manager,
        complaint_id=c.pk,
        action="refuse",
        reason="not_financial",
        note="经核实录像显示不属于投诉",
    )
    assert _found(county.a_manager, "录像显示") == {c.tracking_no}


def test_reindex_rebuilds_from_the_columns(county, intake):
    c = register(county, intake(description="原有文字"))
    ComplaintSearch.objects.filter(complaint_id=c.pk).update(text="")
    assert _found(county.a_manager, "原有") == set()
    search.reindex([c.pk])
    assert _found(county.a_manager, "原有") == {c.tracking_no}


@pytest.mark.parametrize(
    "q", ["%", "_", "\\", "%%理", "' OR 1=1 --", "😀😀", "理财\\%", "a" * 100, "\x01\x02理财"]
)
def test_hostile_queries_answer_the_list(client, county, intake, q):
    register(county, intake(description="理财"))
    client.force_login(county.a_manager)
    response = client.get(reverse("complaints:list"), {"q": q})
    assert response.status_code == 200


@pytest.mark.parametrize("q", ["理财\x00", "理" * 10_000])
def test_invalid_query_says_why_and_lists_nothing_unfiltered(client, county, intake, q):
    register(county, intake(description="理财"))
    client.force_login(county.a_manager)
    response = client.get(reverse("complaints:list"), {"q": q})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]


def test_phone_digits_in_free_text_never_shown_unmasked(client, county, intake):
    c = register(county, intake(description="请回电13987654321，卡被盗刷"))
    client.force_login(county.a_manager)
    body = client.get(reverse("complaints:list"), {"q": "98765432"}).content.decode()
    assert set(re.findall(r"A-OUT1-\d{8}-\d{3}", body)) == {c.tracking_no}
    assert "13987654321" not in body
    # Found by the digits in its text, but the text is not shown: nothing of the
    # number appears beyond what was typed (the search box and links echo that).
    assert "1398765" not in body
    assert "987654321" not in body


@pytest.mark.django_db(transaction=True)
def test_rebuild_on_several_connections_writes_every_text(county, intake):
    # Committed rows (transaction=True): each worker thread reads on its own
    # connection, which would not see a test transaction's rows.
    made = [register(county, intake(description=f"第{i}号文字")) for i in range(5)]
    ComplaintSearch.objects.update(text="")
    assert search.reindex_all(batch=2, workers=3) == len(made)
    for i, c in enumerate(made):
        assert _found(county.a_manager, f"第{i}号") == {c.tracking_no}
