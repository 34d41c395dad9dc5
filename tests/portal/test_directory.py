"""The public directory of complaint channels (portal.directory): what it lists
matches the institutions' data, search and bank filters, the institution page, the
poster's QR code and the office's chase list."""

from __future__ import annotations

import os
import re
from urllib.parse import urlencode

import pytest
import segno
from django.urls import reverse

from institutions.enums import InstitutionKind
from institutions.models import Institution
from portal.directory import selectors
from tests.institutions.factories import InstitutionFactory

from .qr import decode, svg_matrix

FULL = {
    "complaint_department": "消费者权益保护部",
    "complaint_scope": "本机构金融产品和服务相关投诉",
    "complaint_time_limit": "一般投诉当日办结，复杂投诉三个工作日内办结",
}


@pytest.fixture
def published(county, settings):
    """The county with its published information filled in, except: A-OUT2 has no
    accepting department, BANK-B publishes no phone; a closed (inactive) outlet of
    bank A; addresses for the area search."""
    settings.PORTAL_OFFICE_CODE = ""
    settings.SITE_URL = "https://ts.example.cn/"
    for inst in Institution.objects.all():
        for name, value in FULL.items():
            setattr(inst, name, value)
        inst.complaint_phone = f"0319-{inst.pk:07d}"
        inst.address = f"河北省清河县{inst.code}路"
        inst.save()
    for inst in vars(county).values():
        if isinstance(inst, Institution):
            inst.refresh_from_db()
    county.pbc.hotline = "12363/12378"
    county.pbc.save()
    county.a_out2.complaint_department = ""
    county.a_out2.address = "河北省清河县王官庄镇东街1号"
    county.a_out2.save()
    county.bank_b.complaint_phone = ""
    county.bank_b.save()
    county.closed = InstitutionFactory(
        code="A-OUT9",
        name="甲银行已撤并网点",
        parent=county.bank_a,
        kind=InstitutionKind.OUTLET,
        is_active=False,
        **FULL,
    )
    return county


def _items(body: str) -> dict[int, str]:
    """Each listed institution's markup, by pk."""
    return {
        int(pk): chunk
        for pk, chunk in re.findall(
            r'data-testid="directory-item" data-pk="(\d+)">(.*?)</li>', body, re.S
        )
    }


def _get(client, **params):
    return client.get(reverse("portal:directory") + ("?" + urlencode(params) if params else ""))


# --- The directory ---------------------------------------------------------------------


def test_directory_lists_every_active_institution_with_its_published_fields(client, published):
    c = published
    settings_office = c.pbc
    r = _get(client)
    assert r.status_code == 200
    body = r.content.decode()
    items = _items(body)
    expected = [c.bank_a, c.a_out1, c.a_out2, c.bank_b, c.b_out1, c.bank_x]
    assert set(items) == {i.pk for i in expected}
    for inst in expected:
        inst.refresh_from_db()
        chunk = items[inst.pk]
        assert inst.name in chunk
        for name in selectors.PUBLISHED_FIELDS:
            value = getattr(inst, name)
            assert (value in chunk) if value else ("未公示" in chunk), (inst.code, name)
        assert reverse("portal:institution", args=[inst.pk]) in chunk
    # Inactive ones and the offices themselves are not outlets in the list.
    assert c.closed.pk not in items
    assert "甲银行已撤并网点" not in body
    # The offices head their sections with their hotlines.
    assert body.count('data-testid="directory-office"') == 2
    assert 'href="tel:12363"' in body
    assert 'href="tel:12378"' in body
    assert settings_office.name in body
    # Nothing internal: no institution codes, no staff.
    assert "A-OUT1" not in body.replace("A-OUT1路", "")
    assert c.a_teller.get_full_name() not in body


def test_directory_groups_by_bank_in_tree_order(published):
    found = selectors.directory_for()
    by_office = {s.office.code: s for s in found.sections}
    groups = by_office["PBC"].banks
    assert [(g.bank.code, [m.code for m in g.members]) for g in groups] == [
        ("BANK-A", ["BANK-A", "A-OUT1", "A-OUT2"]),
        ("BANK-B", ["BANK-B", "B-OUT1"]),
    ]
    assert [g.bank.code for g in by_office["PBC-OTHER"].banks] == ["BANK-X"]
    assert [m.level for m in groups[0].members] == [0, 1, 1]
    assert by_office["PBC"].hotlines == ["12363", "12378"]


def test_directory_serves_only_the_configured_office(client, published, settings):
    settings.PORTAL_OFFICE_CODE = "PBC"
    items = _items(_get(client).content.decode())
    assert published.bank_x.pk not in items
    assert published.a_out1.pk in items
    assert client.get(reverse("portal:institution", args=[published.bank_x.pk])).status_code == 404


def test_an_outlet_below_its_office_is_grouped_under_its_bank(published):
    c = published
    bank = InstitutionFactory(code="BANK-C", name="丁银行测试支行", parent=c.pbc, **FULL)
    outlet = InstitutionFactory(
        code="C-OUT1", name="丁银行一号网点", parent=bank, kind=InstitutionKind.OUTLET, **FULL
    )
    found = selectors.directory_for(query="丁银行")
    (section,) = [s for s in found.sections if s.banks]
    assert [(g.bank.pk, [m.pk for m in g.members]) for g in section.banks] == [
        (bank.pk, [bank.pk, outlet.pk])
    ]


def test_search_by_name(client, published):
    items = _items(_get(client, q="二号").content.decode())
    assert set(items) == {published.a_out2.pk}


def test_search_by_area(client, published):
    r = _get(client, q="王官庄")
    assert set(_items(r.content.decode())) == {published.a_out2.pk}
    assert "找到 1 个机构" in r.content.decode()


def test_search_without_match_says_so(client, published):
    body = _get(client, q="不存在的银行").content.decode()
    assert _items(body) == {}
    assert 'data-testid="directory-empty"' in body


def test_search_treats_wildcards_literally(client, published):
    assert _items(_get(client, q="%").content.decode()) == {}
    assert _items(_get(client, q="_").content.decode()) == {}


def test_bank_filter_shows_its_subtree(client, published):
    c = published
    items = _items(_get(client, bank=c.bank_a.pk).content.decode())
    assert set(items) == {c.bank_a.pk, c.a_out1.pk, c.a_out2.pk}
    # Only the top of a published bank is a filter: an outlet, an office, another
    # county's bank under a configured office are not found.
    assert _get(client, bank=c.a_out1.pk).status_code == 404
    assert _get(client, bank=c.pbc.pk).status_code == 404


def test_listing_is_bounded(client, published, monkeypatch):
    monkeypatch.setattr(selectors, "LIST_LIMIT", 3)
    r = _get(client)
    assert len(_items(r.content.decode())) == 3
    assert 'data-testid="directory-truncated"' in r.content.decode()


def test_directory_queries_do_not_grow_with_the_jurisdiction(
    client, published, django_assert_max_num_queries
):
    for n in range(30):
        InstitutionFactory(
            code=f"A-X{n}", name=f"甲银行{n}号代办点", parent=published.bank_a, kind="outlet"
        )
    with django_assert_max_num_queries(6):
        r = _get(client)
    assert len(_items(r.content.decode())) == 36


@pytest.mark.parametrize(
    "params",
    [
        {"q": "甲" * 10_000},
        {"q": "x\x00y"},
        {"q": "' OR 1=1 --"},
        {"q": "'; DROP TABLE institutions_institution; --"},
        {"q": "\u202e\u200b\ufeff\U0001f600𠀀"},
        "q=%ED%A0%80",  # a UTF-16 surrogate in UTF-8 bytes
        "q=%FF%FE%C0%AF",  # not UTF-8 at all
        "q=a&q=b&q=c",
        "bank=1&bank=2",
        {"q": "\\"},
        {"q": "<script>alert(1)</script>"},
        {"bank": "99999999999999999999999"},
        {"bank": "-1"},
        {"bank": "abc"},
        {"bank": "1e5"},
        {"page": "x", "q": "甲"},
    ],
)
def test_hostile_query_strings_never_fail(client, published, params):
    query = params if isinstance(params, str) else urlencode(params)
    r = client.get(f"{reverse('portal:directory')}?{query}")
    # A well-formed but unknown bank is not found (404), like any missing object.
    assert r.status_code in (200, 400, 404), r.status_code
    assert b"<script>alert(1)</script>" not in r.content


def test_an_overlong_search_is_refused_with_a_message(client, published):
    r = _get(client, q="甲" * 51)
    assert r.status_code == 400
    assert "搜索条件无效" in r.content.decode()


def test_pages_are_complete_in_english(client, published):
    """Chinese appears only in what institutions published (data-user-content)."""
    from tests.test_english_pages import chinese_outside_user_content

    c = published
    c.pbc.hotline = ""
    c.pbc.save()
    urls = [
        reverse("portal:directory"),
        reverse("portal:directory") + "?q=" + "一号",
        reverse("portal:directory") + "?q=" + "无此机构",
        reverse("portal:directory") + f"?bank={c.bank_a.pk}",
        reverse("portal:directory") + "?q=" + "甲" * 51,
        reverse("portal:institution", args=[c.a_out2.pk]),
        reverse("portal:institution", args=[c.pbc.pk]),
        reverse("portal:poster", args=[c.a_out2.pk]),
    ]
    for url in urls:
        r = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert r.status_code in (200, 400), url
        assert chinese_outside_user_content(r.content.decode()) == [], url
    client.force_login(c.regulator)
    client.post(reverse("set_language"), {"language": "en"})
    r = client.get(reverse("portal:directory_incomplete"))
    body = r.content.decode()
    assert "Incomplete published information" in body
    # From <main> on: the staff layout's calendar banner above it is deadlines' own.
    assert chinese_outside_user_content(body[body.index("<main") :]) == []


# --- The institution page --------------------------------------------------------------


def test_institution_page_shows_its_channels_and_the_office(client, published):
    c = published
    c.a_out1.refresh_from_db()
    r = client.get(reverse("portal:institution", args=[c.a_out1.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    for name in selectors.PUBLISHED_FIELDS:
        assert getattr(c.a_out1, name) in body
    assert c.pbc.name in body
    assert 'href="tel:12378"' in body
    assert f"{reverse('portal:complain')}?to={c.a_out1.pk}" in body
    assert reverse("portal:poster", args=[c.a_out1.pk]) in body
    assert "A-OUT1" not in body.replace("A-OUT1路", "")


def test_institution_page_marks_what_is_not_published(client, published):
    body = client.get(reverse("portal:institution", args=[published.a_out2.pk])).content.decode()
    assert re.search(r'data-field="complaint_department"><span class="muted">未公示<', body)


@pytest.mark.parametrize("which", ["closed", "missing", "huge"])
def test_institution_page_not_found(client, published, which):
    pk = {"closed": published.closed.pk, "missing": 999_999, "huge": 10**20}[which]
    assert client.get(f"/portal/directory/{pk}/").status_code == 404
    assert client.get(f"/portal/directory/{pk}/poster/").status_code == 404


# --- The poster ------------------------------------------------------------------------


def test_poster_qr_leads_to_the_complaint_form_for_the_outlet(client, published):
    c = published
    r = client.get(reverse("portal:poster", args=[c.a_out1.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    expected = f"https://ts.example.cn{reverse('portal:complain')}?to={c.a_out1.pk}"
    svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    grid = svg_matrix(svg)
    # A real reader decodes what the page draws …
    assert decode(grid) == [expected]
    # … and it is the very matrix segno makes for that address.
    assert grid == [
        [bool(m) for m in row] for row in segno.make(expected, error="m").matrix_iter(border=4)
    ]
    assert f'data-url="{expected}"' in body
    assert c.a_out1.complaint_phone in body
    assert FULL["complaint_scope"] in body
    assert "12363 / 12378" in body
    assert "@page" not in body  # the print rules are in the stylesheet (CSP: no inline style)
    assert "portal/poster.css" in body


def test_poster_of_another_outlet_encodes_its_own_address(client, published):
    body = client.get(reverse("portal:poster", args=[published.b_out1.pk])).content.decode()
    svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    assert decode(svg_matrix(svg)) == [
        f"https://ts.example.cn/portal/complain/?to={published.b_out1.pk}"
    ]


def test_the_office_has_a_page_but_no_poster(client, published):
    assert client.get(reverse("portal:institution", args=[published.pbc.pk])).status_code == 200
    assert client.get(reverse("portal:poster", args=[published.pbc.pk])).status_code == 404


# --- The office's chase list -----------------------------------------------------------


def test_chase_list_selector_is_exactly_the_incomplete_ones(published):
    c = published
    rows = selectors.incomplete_for_user(c.regulator)
    assert [(i.code, selectors.missing_fields(i)) for i in rows] == [
        ("A-OUT2", ["complaint_department"]),
        ("BANK-B", ["complaint_phone"]),
    ]


def test_chase_page_lists_the_incomplete_ones_with_what_is_missing(client, published):
    c = published
    c.pbc.hotline = ""
    c.pbc.save()
    client.force_login(c.regulator)
    r = client.get(reverse("portal:directory_incomplete"))
    assert r.status_code == 200
    body = r.content.decode()
    rows = dict(re.findall(r'<tr data-pk="(\d+)">(.*?)</tr>', body, re.S))
    assert set(map(int, rows)) == {c.pbc.pk, c.a_out2.pk, c.bank_b.pk}
    missing = {int(pk): re.findall(r'badge warn">([^<]+)<', chunk) for pk, chunk in rows.items()}
    assert missing == {c.pbc.pk: ["监管热线"], c.a_out2.pk: ["受理部门"], c.bank_b.pk: ["投诉电话"]}
    # Inactive and other counties' institutions are not the office's to chase.
    c.closed.complaint_phone = ""
    c.closed.save()
    c.bank_x.complaint_scope = ""
    c.bank_x.save()
    body = client.get(reverse("portal:directory_incomplete")).content.decode()
    assert "甲银行已撤并网点" not in body
    assert c.bank_x.name not in body
    # The desk's navigation links to it.
    board = client.get(reverse("supervision:board")).content.decode()
    assert reverse("portal:directory_incomplete") in board


@pytest.mark.parametrize("who", ["a_manager", "a_teller", "b_handler", "sysadmin"])
def test_chase_page_is_refused_to_bank_staff(client, published, who):
    client.force_login(getattr(published, who))
    assert client.get(reverse("portal:directory_incomplete")).status_code == 404
    if who == "a_manager":
        board = client.get(reverse("supervision:board")).content.decode()
        assert reverse("portal:directory_incomplete") not in board


def test_chase_page_needs_login(client, published):
    r = client.get(reverse("portal:directory_incomplete"))
    assert r.status_code == 302
    assert r.url.startswith(reverse("login"))


def test_demo_publishes_the_directory_and_leaves_two_to_chase(db, settings):
    from django.core.management import call_command

    from institutions.models import User

    settings.PORTAL_OFFICE_CODE = ""
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    found = selectors.directory_for()
    listed = [m for s in found.sections for g in s.banks for m in g.members]
    assert len(listed) == Institution.objects.exclude(kind=InstitutionKind.REGULATOR).count()
    assert found.sections[0].hotlines == ["12363"]
    office = User.objects.get(username="pbc_supervisor")
    assert [
        (i.code, selectors.missing_fields(i)) for i in selectors.incomplete_for_user(office)
    ] == [
        ("XTB-QH-01", ["complaint_department", "complaint_time_limit"]),
        ("VB-QH-01", ["complaint_scope"]),
    ]


def test_poster_pdf_is_one_a4_page_whose_qr_leads_to_the_outlet(client, published):
    import io

    from pypdf import PdfReader

    from .qr import pdf_matrix

    c = published
    r = client.get(reverse("portal:poster_pdf", args=[c.a_out1.pk]))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]  # A4 in points
    text = page.extract_text()
    c.a_out1.refresh_from_db()
    assert c.a_out1.complaint_phone in text
    assert "12363 / 12378" in text
    expected = f"https://ts.example.cn/portal/complain/?to={c.a_out1.pk}"
    assert decode(pdf_matrix(page.get_contents().get_data())) == [expected]
    assert client.get(reverse("portal:poster_pdf", args=[c.pbc.pk])).status_code == 404
    assert client.get(reverse("portal:poster_pdf", args=[c.closed.pk])).status_code == 404


def test_poster_pdf_stays_on_one_page_with_long_texts(client, published):
    import io

    from pypdf import PdfReader

    from .qr import pdf_matrix

    c = published
    Institution.objects.filter(pk=c.a_out1.pk).update(
        name="甲银行" * 30, complaint_scope="范围" * 2000, complaint_time_limit="时限" * 100
    )
    Institution.objects.filter(pk=c.a_out1.pk).update(
        complaint_department="部门" * 40, address="地址" * 100
    )
    r = client.get(reverse("portal:poster_pdf", args=[c.a_out1.pk]))
    page = PdfReader(io.BytesIO(r.content)).pages[0]
    assert len(PdfReader(io.BytesIO(r.content)).pages) == 1
    content = page.get_contents().get_data()
    assert decode(pdf_matrix(content)) == [
        f"https://ts.example.cn/portal/complain/?to={c.a_out1.pk}"
    ]
    # No line of text runs into the QR code (PDF y grows upwards, in points).
    rects = [
        (float(y), float(h))
        for y, h in re.findall(rb"-?[\d.]+ (-?[\d.]+) -?[\d.]+ (-?[\d.]+) re\s+f\b", content)
    ]
    module = min(-h for _y, h in rects if -h > 0.5)
    qr = [y for y, h in rects if abs(-h - module) < 0.01]
    top, bottom = max(qr), min(qr) - module
    baselines = [float(y) for y in re.findall(rb"BT -?[\d.]+ (-?[\d.]+) Td", content)]
    assert baselines
    assert not [y for y in baselines if bottom - 4 < y < top + 4]


def test_qr_svg_escapes_its_title():
    from portal.directory.poster import qr_svg

    svg = qr_svg("https://x.test/?to=1", title='<script>"&')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
