"""Select options kept per process (institutions.options): the same options the
database gives, whatever changed since they were first built."""

from __future__ import annotations

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from complaints.forms import ListFilterForm
from complaints.models import TaxonomyCode
from institutions import options
from institutions.models import Institution
from tests.institutions.factories import InstitutionFactory


def _options(user, field):
    return [
        str(label).strip("　") for _value, label in ListFilterForm(user=user).fields[field].choices
    ]


def test_kept_options_are_reused_until_something_changes(county):
    options.changed()
    first = _options(county.regulator, "institution")
    with CaptureQueriesContext(connection) as ctx:
        again = _options(county.regulator, "institution")
    assert again == first
    # One primary-key lookup of the token; the list itself is not read again.
    assert len(ctx) == 1
    assert "referencerevision" in ctx.captured_queries[0]["sql"]


def test_a_new_renamed_or_deleted_institution_is_in_the_next_form(county):
    options.changed()
    assert "新开网点" not in _options(county.a_manager, "institution")
    new = InstitutionFactory(name="新开网点", parent=county.bank_a, code="A-NEW")
    assert "新开网点" in _options(county.a_manager, "institution")
    new.name = "改名网点"
    new.save()
    assert "改名网点" in _options(county.a_manager, "institution")
    new.delete()
    assert "改名网点" not in _options(county.a_manager, "institution")


def test_each_scope_keeps_its_own_list(county):
    options.changed()
    bank_a = _options(county.a_manager, "institution")
    office = _options(county.regulator, "institution")
    assert county.b_out1.name not in bank_a
    assert county.b_out1.name in office
    assert _options(county.a_manager, "institution") == bank_a


def test_taxonomy_code_changes_reach_the_filter(county, categories):
    code = TaxonomyCode.objects.filter(dimension="B").first() or TaxonomyCode.objects.create(
        dimension="B", code="B99", name="测试业务"
    )
    options.changed()
    before = _options(county.a_manager, "business")
    code.name = "已改名业务"
    code.save()
    after = _options(county.a_manager, "business")
    assert after != before
    assert f"{code.code} 已改名业务" in after


def test_a_rolled_back_change_is_not_kept(county):
    options.changed()
    before = _options(county.a_manager, "institution")
    with transaction.atomic():
        InstitutionFactory(name="未提交网点", parent=county.bank_a, code="A-TMP")
        assert "未提交网点" in _options(county.a_manager, "institution")
        transaction.set_rollback(True)
    assert not Institution.objects.filter(code="A-TMP").exists()
    assert _options(county.a_manager, "institution") == before


def test_a_form_that_only_validates_reads_no_options(county):
    with CaptureQueriesContext(connection) as ctx:
        form = ListFilterForm({"q": "x"}, user=county.a_manager)
        assert form.is_valid()
    assert not any("referencerevision" in q["sql"] for q in ctx.captured_queries)
