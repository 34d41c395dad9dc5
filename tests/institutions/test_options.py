"""Select options kept per process (institutions.options): the same options the
database gives, whatever changed since they were first built."""

from __future__ import annotations

from django import forms
from django.db import connection, transaction
from django.forms.boundfield import BoundField
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.utils import translation

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


# --- Widget markup kept while a filter is empty (KeptWidgetBoundField) ----------------


def _as_django_writes(form, name) -> str:
    """The field's markup as Django's own BoundField writes it, nothing kept."""
    return BoundField(form, form.fields[name], name).as_widget()


def test_an_empty_filter_is_written_once_and_as_django_writes_it(county):
    options.changed()
    first = ListFilterForm(user=county.regulator)
    markup = {name: str(first[name]) for name in first.fields}
    for name, html in markup.items():
        assert parse_html(html) == parse_html(_as_django_writes(first, name)), name
    # The next request's form: the token is read, the markup is not built again.
    again = ListFilterForm(user=county.regulator)
    with CaptureQueriesContext(connection) as ctx:
        assert {name: str(again[name]) for name in again.fields} == markup
    assert len(ctx) == 1
    assert "referencerevision" in ctx.captured_queries[0]["sql"]
    # A bound form with nothing chosen looks like the unbound one.
    empty = ListFilterForm({"q": "", "institution": ""}, user=county.regulator)
    assert empty.is_valid()
    assert str(empty["institution"]) == markup["institution"]


def test_a_chosen_or_invalid_filter_is_written_afresh(county):
    options.changed()
    str(ListFilterForm(user=county.regulator)["institution"])  # keep the empty markup
    chosen = ListFilterForm(
        {"institution": str(county.bank_a.pk), "q": "张三"}, user=county.regulator
    )
    assert chosen.is_valid()
    html = str(chosen["institution"])
    assert f'<option value="{county.bank_a.pk}" selected>' in html
    assert html == _as_django_writes(chosen, "institution")
    assert 'value="张三"' in str(chosen["q"])
    invalid = ListFilterForm({"date_from": "1900-01-01"}, user=county.regulator)
    assert not invalid.is_valid()
    assert 'aria-invalid="true"' in str(invalid["date_from"])
    assert 'value="1900-01-01"' in str(invalid["date_from"])


def test_kept_markup_follows_institution_changes_and_each_scope(county):
    options.changed()
    assert "新开网点" not in str(ListFilterForm(user=county.a_manager)["institution"])
    InstitutionFactory(name="新开网点", parent=county.bank_a, code="A-NEW2")
    assert "新开网点" in str(ListFilterForm(user=county.a_manager)["institution"])
    assert county.b_out1.name not in str(ListFilterForm(user=county.a_manager)["institution"])
    assert county.b_out1.name in str(ListFilterForm(user=county.regulator)["institution"])


def test_kept_markup_is_kept_per_language(county):
    options.changed()
    with translation.override("zh-hans"):
        chinese = str(ListFilterForm(user=county.a_manager)["status"])
    with translation.override("en"):
        english = str(ListFilterForm(user=county.a_manager)["status"])
    assert "已登记" in chinese
    assert english != chinese
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)


def test_an_empty_filter_with_an_error_is_written_afresh(county):
    class NeedsSearch(ListFilterForm):
        def clean(self):
            self.add_error("q", "请输入搜索内容。")

    options.changed()
    kept = str(NeedsSearch(user=county.a_manager)["q"])  # unbound: no errors, kept
    form = NeedsSearch({"q": ""}, user=county.a_manager)
    assert not form.is_valid()
    assert 'aria-invalid="true"' in str(form["q"])
    assert str(form["q"]) != kept


def test_zero_is_a_value_not_an_empty_field(db):
    class Counted(forms.Form):
        bound_field_class = options.KeptWidgetBoundField
        n = forms.IntegerField(required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.kept_options = options.current()
            self.kept_choice_keys = {}

    options.changed()
    assert "value=" not in str(Counted()["n"])  # kept: the empty field
    assert 'value="0"' in str(Counted(initial={"n": 0})["n"])
    assert 'value="0"' in str(Counted({"n": "0"})["n"])
