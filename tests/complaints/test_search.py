"""The keyword search in the free text: every write path keeps the text current,
the list finds substrings within the user's scope and filters, and never shows the
personal data written in the text it matched."""

from __future__ import annotations

import re

import pytest
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
