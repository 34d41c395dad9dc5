"""The list's filter bar is written by ``ListFilterForm.as_filter_bar``; it must be
the markup the template loop it replaced wrote, for empty, chosen and invalid filters,
in both languages, escaped the same way."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import translation

from complaints.forms import ListFilterForm

#: The loop complaints/list.html had before the filter bar was written in Python.
TEMPLATE_LOOP = Template(
    "{% for field in form %}"
    '<div class="field">{% if field.field.widget.input_type == "checkbox" %}'
    "<label>{{ field }} {{ field.label }}</label>{% else %}"
    '<label for="{{ field.id_for_label }}">{{ field.label }}</label>{{ field }}{% endif %}'
    "{{ field.errors }}</div>"
    "{% endfor %}"
)

CASES = {
    "unbound": None,
    "chosen": {"q": '<b>"张三"</b>', "status": ["registered"], "overdue": "on", "sort": "due"},
    "invalid": {"date_from": "not a day", "status": ["nonsense"], "institution": "999999"},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_filter_bar_is_what_the_template_loop_wrote(county, case, language):
    with translation.override(language):
        form = ListFilterForm(CASES[case], user=county.regulator)
        form.is_valid()
        ours = form.as_filter_bar()
        theirs = TEMPLATE_LOOP.render(Context({"form": form}))
    assert parse_html(ours) == parse_html(theirs)
    assert "<b>" not in ours
    if case == "invalid":
        assert 'class="errorlist"' in ours
