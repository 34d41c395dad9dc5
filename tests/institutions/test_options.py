"""Selects of reference data (the list's institution and JR/T filters, the bulk
handler, the board's root) are cached under the reference data's revision
(institutions.options), the user's scope, the language and the chosen value:
whatever changed since they were cached, a page shows the options the database
gives, for each scope and language."""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.forms import ListFilterForm
from complaints.models import TaxonomyCode
from institutions import options
from institutions.models import Institution
from tests.institutions.factories import InstitutionFactory


def _list(client, user, params=None, language="zh-hans") -> str:
    client.force_login(user)
    response = client.get(reverse("complaints:list"), params or {}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _institution_options(html: str) -> list[str]:
    select = re.search(r'<select name="institution".*?</select>', html, re.S).group(0)
    return [label.strip("\u3000") for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_a_new_renamed_or_deleted_institution_is_on_the_next_page(client, county):
    assert "新开网点" not in _institution_options(_list(client, county.a_manager))
    new = InstitutionFactory(name="新开网点", parent=county.bank_a, code="A-NEW")
    assert "新开网点" in _institution_options(_list(client, county.a_manager))
    new.name = "改名网点"
    new.save()
    assert "改名网点" in _institution_options(_list(client, county.a_manager))
    new.delete()
    assert "改名网点" not in _institution_options(_list(client, county.a_manager))


def test_each_scope_sees_its_own_institutions(client, county):
    bank_a = _institution_options(_list(client, county.a_manager))
    office = _institution_options(_list(client, county.regulator))
    assert county.b_out1.name not in bank_a
    assert county.b_out1.name in office
    assert _institution_options(_list(client, county.a_manager)) == bank_a


def test_taxonomy_code_changes_reach_the_filter(client, county, categories):
    code = TaxonomyCode.objects.filter(dimension="B").first() or TaxonomyCode.objects.create(
        dimension="B", code="B99", name="测试业务"
    )
    before = _list(client, county.a_manager)
    code.name = "已改名业务"
    code.save()
    after = _list(client, county.a_manager)
    assert f"{code.code} 已改名业务" not in before
    assert f"{code.code} 已改名业务" in after


def test_a_rolled_back_change_is_not_shown(client, county):
    before = _institution_options(_list(client, county.a_manager))
    with transaction.atomic():
        InstitutionFactory(name="未提交网点", parent=county.bank_a, code="A-TMP")
        assert "未提交网点" in _institution_options(_list(client, county.a_manager))
        transaction.set_rollback(True)
    assert not Institution.objects.filter(code="A-TMP").exists()
    assert _institution_options(_list(client, county.a_manager)) == before


def test_each_language_has_its_own_filter_bar(client, county):
    chinese = _list(client, county.a_manager, language="zh-hans")
    english = _list(client, county.a_manager, language="en")
    assert "已登记" in chinese
    assert "已登记" not in english
    assert "Registered" in english


def test_a_chosen_filter_is_written_afresh(client, county):
    _list(client, county.regulator)  # the empty bar, cached
    html = _list(client, county.regulator, {"institution": county.bank_a.pk, "q": "张三"})
    assert f'<option value="{county.bank_a.pk}" selected>' in html
    assert 'value="张三"' in html
    invalid = _list(client, county.regulator, {"date_from": "1900-01-01"})
    assert 'aria-invalid="true"' in invalid
    assert 'value="1900-01-01"' in invalid


def test_the_cached_bar_reads_no_options(client, county):
    client.force_login(county.regulator)
    client.get(reverse("complaints:list"))
    with CaptureQueriesContext(connection) as cached:
        client.get(reverse("complaints:list"))
    sql = [q["sql"] for q in cached.captured_queries]
    assert any("referencerevision" in s for s in sql)
    assert not any("taxonomycode" in s for s in sql)
    assert not any(s.startswith('SELECT "institutions_institution"."id"') for s in sql)
    options.changed()
    with CaptureQueriesContext(connection) as rebuilt:
        client.get(reverse("complaints:list"))
    assert any("taxonomycode" in q["sql"] for q in rebuilt.captured_queries)


def test_a_form_that_only_validates_reads_no_options(county):
    with CaptureQueriesContext(connection) as ctx:
        form = ListFilterForm({"q": "x"}, user=county.a_manager)
        assert form.is_valid()
    assert not any("referencerevision" in q["sql"] for q in ctx.captured_queries)


def _handlers(html: str) -> list[str]:
    select = re.search(r'<select name="handler".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_staff_changes_reach_the_bulk_handler_select(client, county):
    before = _handlers(_list(client, county.a_manager))
    handler = county.a1_handler
    handler.full_name = "改名处理人"
    handler.save()
    assert any(
        label.startswith("改名处理人") for label in _handlers(_list(client, county.a_manager))
    )
    handler.is_active = False
    handler.save()
    assert not any("改名处理人" in label for label in _handlers(_list(client, county.a_manager)))
    assert len(_handlers(_list(client, county.a_manager))) == len(before) - 1


def test_a_login_does_not_change_the_revision(client, county):
    options.changed()
    stored = options.token()
    client.force_login(county.a_manager)
    county.a_manager.set_password("Another@2026")
    county.a_manager.save(update_fields=["password"])
    assert options.token() == stored


def test_the_board_root_select_follows_institution_changes(client, county):
    client.force_login(county.regulator)
    board = reverse("supervision:board")
    assert "新开支行" not in client.get(board).content.decode()
    InstitutionFactory(name="新开支行", parent=county.bank_a, code="A-NEW3")
    html = client.get(board).content.decode()
    assert "新开支行" in html
    chosen = client.get(board, {"root": county.bank_a.pk}).content.decode()
    assert f'<option value="{county.bank_a.pk}" selected>' in chosen
