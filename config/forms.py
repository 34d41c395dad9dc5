"""The project's form renderer: Django's own, except that the commonest widgets are
written out in Python.

Django renders every widget, every ``<option>`` and every (even empty) error list
through a template. The list's filter form has a select of every institution the
user can see (300 for a city office), fifteen fields in all, and those templates cost
more than the list's SQL: 30–50 ms of a 100 ms page at a million complaints
(docs/performance.md). Here the markup of ``<select>``, ``<input>``, ``<textarea>``,
of groups of checkboxes and radio buttons and of an empty error list is produced with
``format_html``, escaped the same way;
``tests/config/test_form_renderer.py`` compares it with the templates' output, and
checks that the templates it stands in for are still the ones it was written from.
Anything else (a widget with its own option template, a non-empty error list, the
form layouts) goes through the templates as before.
"""

from __future__ import annotations

import html

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
SELECT_TEMPLATE = WIDGETS + "select.html"
OPTION_TEMPLATE = WIDGETS + "select_option.html"
TEXTAREA_TEMPLATE = WIDGETS + "textarea.html"
#: Groups of checkboxes or radio buttons: each of these templates is nothing but an
#: include of multiple_input.html (the group) or input_option.html (one choice).
MULTIPLE_INPUT_TEMPLATES = frozenset((WIDGETS + "checkbox_select.html", WIDGETS + "radio.html"))
INPUT_OPTION_TEMPLATES = frozenset(
    (WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html")
)
#: Widget templates that are nothing but ``{% include "…/input.html" %}``.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in [
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    ]
)
SELECTED = {"selected": True}
ERROR_LIST_TEMPLATES = frozenset(
    ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html")
)


def _text(value) -> str:
    """``conditional_escape`` without its lazy-argument wrapper (hundreds of calls a
    page): safe strings as they are, anything else as escaped text."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _option(o: dict) -> str:
    attrs = o["attrs"]
    extra = "" if not attrs else " selected" if attrs == SELECTED else _attrs(attrs)
    return f'<option value="{_text(o["value"])}"{extra}>{_text(o["label"])}</option>'


def render_select(widget: dict) -> SafeString:
    """The markup of django/forms/widgets/select.html for a widget context.

    The hot loop (hundreds of options per page): plain strings, each value, label and
    group name escaped exactly as the template's autoescape would. Django puts every
    ungrouped option in a group of its own, hence the flat walk."""
    lines = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            lines.append(f'<optgroup label="{conditional_escape(group_name)}">')
            lines.extend(_option(o) for o in options)
            lines.append("</optgroup>")
        else:
            lines.extend(_option(o) for o in options)
    lines.append("</select>")
    head = format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))
    return mark_safe("\n".join([head, *lines]))  # noqa: S308  # nosec B308 B703 - escaped


def _attrs(attrs: dict) -> SafeString:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes
    # its name alone; names and values escaped.
    return mark_safe(  # noqa: S308  # nosec B308 B703 - escaped
        "".join(
            f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def _input(widget: dict) -> str:
    # As django/forms/widgets/input.html, in plain strings (also once per option).
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def render_input(widget: dict) -> SafeString:
    """The markup of django/forms/widgets/input.html."""
    return mark_safe(_input(widget))  # noqa: S308  # nosec B308 B703 - escaped


def _input_option(o: dict) -> str:
    # As django/forms/widgets/input_option.html: the input (input.html) inside its label.
    attrs = o["attrs"]
    box = _input(o)
    if not o["wrap_label"]:
        return box
    label_for = f' for="{_text(attrs["id"])}"' if attrs.get("id") else ""
    return f"<label{label_for}>{box} {_text(o['label'])}</label>"


def render_multiple_input(widget: dict) -> SafeString:
    """The markup of django/forms/widgets/multiple_input.html (checkbox and radio
    groups: the list's status filter, the action forms' choices), in plain strings,
    each value, label and attribute escaped as the templates' autoescape would."""
    attrs = widget["attrs"]
    parts = [
        "<div",
        f' id="{_text(attrs["id"])}"' if attrs.get("id") else "",
        f' class="{_text(attrs["class"])}"' if attrs.get("class") else "",
        ">",
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{_text(group_name)}</label>")
        parts.extend(f"<div>\n    {_input_option(o)}</div>" for o in options)
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - escaped


def render_textarea(widget: dict) -> SafeString:
    """The markup of django/forms/widgets/textarea.html."""
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        _attrs(widget["attrs"]),
        widget["value"] or "",
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in ERROR_LIST_TEMPLATES and not context.get("errors"):
            return ""
        widget = context.get("widget")
        if widget is not None:
            if template_name in INPUT_TEMPLATES:
                return render_input(widget)
            if template_name == TEXTAREA_TEMPLATE:
                return render_textarea(widget)
            if template_name == SELECT_TEMPLATE and all(
                o["template_name"] == OPTION_TEMPLATE
                for _name, options, _index in widget["optgroups"]
                for o in options
            ):
                return render_select(widget)
            if template_name in MULTIPLE_INPUT_TEMPLATES and all(
                o["template_name"] in INPUT_OPTION_TEMPLATES
                for _name, options, _index in widget["optgroups"]
                for o in options
            ):
                return render_multiple_input(widget)
        return super().render(template_name, context, request)
