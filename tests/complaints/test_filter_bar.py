"""The list's filter bar is written by ``ListFilterForm.as_filter_bar``; it must be
the markup the template loop it replaced wrote, for empty, chosen and invalid filters,
in both languages, escaped the same way; the status filter is a group of checkboxes
whose closed disclosure names what is ticked."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import translation

from complaints.enums import ComplaintStatus
from complaints.forms import ListFilterForm

#: The loop complaints/list.html had before the filter bar was written in Python,
#: with the status group's fieldset (given its summary) added since.
TEMPLATE_LOOP = Template(
    "{% for field in form %}"
    '{% if field.name == "status" %}<fieldset class="field multi"><legend>{{ field.label }}'
    "</legend><details><summary>{{ summary }}</summary>{{ field }}</details>{{ field.errors }}"
    "</fieldset>"
    '{% else %}<div class="field">{% if field.field.widget.input_type == "checkbox" %}'
    "<label>{{ field }} {{ field.label }}</label>{% else %}"
    '<label for="{{ field.id_for_label }}">{{ field.label }}</label>{{ field }}{% endif %}'
    "{{ field.errors }}</div>{% endif %}"
    "{% endfor %}"
)

#: What the closed status group says, by case and language.
SUMMARY = {
    ("unbound", "zh-hans"): "全部",
    ("chosen", "zh-hans"): "已登记、处理中",
    ("invalid", "zh-hans"): "全部",
    ("unbound", "en"): "All",
    ("chosen", "en"): "Registered, In progress",
    ("invalid", "en"): "All",
}

CASES = {
    "unbound": None,
    "chosen": {
        "q": '<b>"张三"</b>',
        "status": ["registered", "in_progress"],
        "overdue": "on",
        "sort": "due",
    },
    "invalid": {"date_from": "not a day", "status": ["nonsense"], "institution": "999999"},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_filter_bar_is_what_the_template_loop_wrote(county, case, language):
    with translation.override(language):
        form = ListFilterForm(CASES[case], user=county.regulator)
        form.is_valid()
        ours = form.as_filter_bar()
        summary = SUMMARY[case, language]
        theirs = TEMPLATE_LOOP.render(Context({"form": form, "summary": summary}))
    assert parse_html(ours) == parse_html(theirs)
    assert f"<summary>{summary}</summary>" in ours
    assert "<b>" not in ours
    if case == "invalid":
        assert 'class="errorlist"' in ours


def test_status_is_a_group_of_checkboxes_with_the_chosen_ticked(county):
    form = ListFilterForm({"status": ["assigned", "resolved"]}, user=county.regulator)
    assert form.is_valid()
    boxes = _status_boxes(form.as_filter_bar())
    assert [value for value, _checked in boxes] == [v for v, _label in ComplaintStatus.choices]
    assert {value for value, checked in boxes if checked} == {"assigned", "resolved"}
    assert "<select" not in str(form["status"])


def _status_boxes(markup: str) -> list[tuple[str, bool]]:
    """(value, ticked) of every status checkbox, in order."""
    found = []

    class Inputs(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name") == "status" and a.get("type") == "checkbox":
                found.append((a["value"], "checked" in a))

    Inputs().feed(markup)
    return found


@pytest.mark.parametrize(("language", "everything"), [("zh-hans", "全部"), ("en", "All")])
def test_empty_reference_selects_say_all_as_the_other_selects_do(county, language, everything):
    with translation.override(language):
        form = ListFilterForm(None, user=county.regulator)
        assert "---------" not in form.as_filter_bar()
        for name in ("business", "cause", "institution", "complexity", "intake_source"):
            first = parse_html(f'<option value="" selected>{everything}</option>')
            assert first in parse_html(str(form[name])), name
