"""The project's renderer writes the common widgets itself; the markup must be what
Django's templates would have written: same elements, attributes, escaping, values
and selection, for every kind of field the project uses, bound and unbound, valid and
not."""

from __future__ import annotations

import datetime
from pathlib import Path

import django
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html

from config.forms import (
    ERROR_LIST_TEMPLATES,
    INPUT_OPTION_TEMPLATES,
    INPUT_TEMPLATES,
    MULTIPLE_INPUT_TEMPLATES,
    OPTION_TEMPLATE,
    SELECT_TEMPLATE,
    TEXTAREA_TEMPLATE,
    FormRenderer,
)

HOSTILE = '<script>alert("x")</script> & "quotes"'


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("a", "甲"), ("b", HOSTILE)])
    many = forms.MultipleChoiceField(
        choices=[("x", "一"), ("y", "二"), ("z", "三")],
        widget=forms.SelectMultiple(attrs={"size": 1, "data-note": HOSTILE}),
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[("银行", [("1", "工行"), ("2", "农行")]), ("其他", [("3", HOSTILE)])],
        required=False,
    )
    maybe = forms.NullBooleanField(required=False)
    ticks = forms.MultipleChoiceField(
        choices=[("x", "一"), ("y", HOSTILE), ("z", "三")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "boxes"}),
        required=False,
    )
    pick = forms.ChoiceField(
        choices=[("银行", [("1", "工行"), ("2", HOSTILE)]), ("3", "其他")],
        widget=forms.RadioSelect,
        required=False,
    )
    text = forms.CharField(max_length=5, widget=forms.TextInput(attrs={"placeholder": HOSTILE}))
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    number = forms.DecimalField(required=False, min_value=0, decimal_places=2)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    flag = forms.BooleanField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    hidden = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


CASES = [
    None,
    {
        "plain": "b",
        "many": ["x", "z"],
        "ticks": ["y", "z"],
        "pick": "2",
        "grouped": "3",
        "maybe": "true",
        "text": "ok",
        "number": "1.5",
        "day": "2026-11-27",
        "flag": "on",
        "secret": "pw",
        "hidden": "7",
        "note": HOSTILE,
    },
    {
        "plain": "nonsense",
        "many": ["q"],
        "ticks": ["x", "q"],
        "pick": "9",
        "grouped": "2",
        "text": HOSTILE,
        "number": "-1",
        "day": "not a day",
        "hidden": "x",
        "note": "",
    },
]


@pytest.mark.parametrize("data", CASES, ids=["unbound", "valid", "invalid"])
@pytest.mark.parametrize("field", list(Sample.base_fields))
def test_markup_equals_django_templates(data, field):
    initial = {"day": datetime.date(2026, 1, 2), "note": "初始"}
    ours = Sample(data, initial=initial, renderer=FormRenderer())
    theirs = Sample(data, initial=initial, renderer=DjangoTemplates())
    if data is not None:
        ours.is_valid(), theirs.is_valid()  # errors add aria-invalid to both
    for part in (lambda f: str(f[field]), lambda f: str(f[field].errors)):
        mine, django_ = part(ours), part(theirs)
        assert parse_html(mine) == parse_html(django_)
        assert "<script>" not in mine


def test_a_selected_option_is_marked_and_the_others_are_not():
    html = str(Sample({"plain": "a"}, renderer=FormRenderer())["plain"])
    assert '<option value="a" selected>甲</option>' in html
    assert '<option value="b">' in html


def test_errors_are_still_listed():
    form = Sample({"text": "too long"}, renderer=FormRenderer())
    assert not form.is_valid()
    assert "<li>" in str(form["text"].errors)
    assert str(form["many"].errors) == ""


def test_the_project_uses_it():
    assert isinstance(forms.Form().renderer, FormRenderer)


def test_a_group_ticks_what_was_chosen_inside_labels():
    html = str(Sample({"ticks": ["y"]}, renderer=FormRenderer())["ticks"])
    assert '<label for="id_ticks_1"><input type="checkbox" name="ticks" value="y"' in html
    assert 'id="id_ticks_1" checked>' in html
    assert 'id="id_ticks_0" checked' not in html
    assert "<script>" not in html


def test_groups_are_written_without_the_templates(monkeypatch):
    through_templates = []
    render = DjangoTemplates.render

    def recording(self, template_name, context, request=None):
        through_templates.append(template_name)
        return render(self, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", recording)
    form = Sample({"ticks": ["y"], "pick": "1"}, renderer=FormRenderer())
    assert "checked" in str(form["ticks"]) + str(form["pick"])
    assert not set(through_templates) & (MULTIPLE_INPUT_TEMPLATES | INPUT_OPTION_TEMPLATES)


def test_a_group_without_its_id_writes_no_empty_attributes():
    form = Sample(renderer=FormRenderer(), auto_id=False)
    assert parse_html(str(form["pick"])) == parse_html(
        str(Sample(renderer=DjangoTemplates(), auto_id=False)["pick"])
    )
    markup = str(form["pick"])
    assert 'id=""' not in markup
    assert 'for=""' not in markup


def test_a_custom_option_template_still_goes_through_the_templates():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class F(forms.Form):
        f = forms.ChoiceField(choices=[("a", "甲")], widget=Fancy)

    html = str(F(renderer=FormRenderer())["f"])
    assert "<option" not in html  # the widget's own option template was used


TEMPLATES = Path(django.__file__).parent / "forms" / "templates"


@pytest.mark.parametrize("name", sorted(INPUT_TEMPLATES - {"django/forms/widgets/input.html"}))
def test_the_input_templates_are_still_plain_includes(name):
    """If a Django upgrade gives one of them markup of its own, the renderer must
    stop standing in for it."""
    text = (TEMPLATES / name).read_text().strip()
    assert text == '{% include "django/forms/widgets/input.html" %}'


def test_the_templates_stood_in_for_are_the_ones_it_was_written_from():
    read = {
        name: (TEMPLATES / name).read_text().strip()
        for name in (
            "django/forms/widgets/input.html",
            SELECT_TEMPLATE,
            OPTION_TEMPLATE,
            TEXTAREA_TEMPLATE,
            *ERROR_LIST_TEMPLATES,
            "django/forms/widgets/multiple_input.html",
            "django/forms/widgets/input_option.html",
            *MULTIPLE_INPUT_TEMPLATES,
            *INPUT_OPTION_TEMPLATES,
        )
    }
    for name in MULTIPLE_INPUT_TEMPLATES:
        assert read[name] == '{% include "django/forms/widgets/multiple_input.html" %}'
    for name in INPUT_OPTION_TEMPLATES:
        assert read[name] == '{% include "django/forms/widgets/input_option.html" %}'
    assert read["django/forms/widgets/multiple_input.html"] == (
        '{% with id=widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}'
        '{% if widget.attrs.class %} class="{{ widget.attrs.class }}"{% endif %}>'
        "{% for group, options, index in widget.optgroups %}{% if group %}\n"
        "  <div><label>{{ group }}</label>{% endif %}{% for option in options %}<div>\n"
        "    {% include option.template_name with widget=option %}</div>{% endfor %}"
        "{% if group %}\n  </div>{% endif %}{% endfor %}\n</div>{% endwith %}"
    )
    assert read["django/forms/widgets/input_option.html"] == (
        "{% if widget.wrap_label %}<label{% if widget.attrs.id %}"
        ' for="{{ widget.attrs.id }}"{% endif %}>{% endif %}'
        '{% include "django/forms/widgets/input.html" %}'
        "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}"
    )
    assert read["django/forms/widgets/input.html"] == (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"'
        "{% if widget.value != None %} value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>'
    )
    assert read[OPTION_TEMPLATE] == (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>'
    )
    assert read[TEXTAREA_TEMPLATE] == (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>"
    )
    assert read["django/forms/errors/list/ul.html"].startswith("{% if errors %}")
