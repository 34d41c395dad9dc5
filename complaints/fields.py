"""Form fields shared by every door that takes a complaint's text (the browser's
forms, the API through them, the import): the limits on free text in one place, text
cleaned the same way everywhere, and booleans that accept only what a checkbox or a
JSON boolean sends.

The limits are generous for what a complaint record holds (a description rarely
passes 1,000 characters) and keep a hostile client from storing megabytes per field.
Names stay within their columns (40 characters).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .validators import clean_person_name, clean_text

#: A person's name: the complainant, the staff member complained about, a contact.
NAME_MAX = 40
#: The complaint itself and what was found and done: description, demand, findings,
#: measures, the opinion on the staff member, the re-verification, the answer.
LONG_TEXT_MAX = 5000
#: Reasons, notes, opinions and summaries written along the way.
NOTE_MAX = 2000
#: One-line texts: an address, where a complaint was transferred to, a short reason.
LINE_MAX = 200
#: The list's search box.
SEARCH_MAX = 100
#: The largest amount of money a complaint can name (yuan): the columns hold 14 digits
#: with 2 decimals; the import refuses more rather than failing at the insert.
MAX_AMOUNT = Decimal("999999999999.99")


class TextField(forms.CharField):
    """Free text cleaned by ``validators.clean_text`` (NFC, no control characters, a
    NUL or lone surrogate refused) and limited to ``max_length`` characters; a
    textarea shows a character counter (static/js/counter.js, ``data-counter``)."""

    def __init__(self, *, max_length: int, rows: int | None = None, **kwargs):
        if rows is not None:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if value not in self.empty_values else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.Textarea):
            attrs["data-counter"] = str(self.max_length)
        return attrs


class PersonNameField(forms.CharField):
    """A name cleaned by ``validators.clean_person_name``: no bidi overrides or
    invisible characters, not empty once they are gone."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", NAME_MAX)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_person_name(value) if value not in self.empty_values else value


ACCEPTED_BOOLEANS = {"", "on", "off", "true", "false", "1", "0"}


class StrictCheckboxInput(forms.CheckboxInput):
    """Django's checkbox reads any text as ticked; this one hands text it does not
    know to the field, which refuses it."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if isinstance(value, str) and value.strip().lower() not in ACCEPTED_BOOLEANS:
            return value
        if isinstance(value, str) and value.strip().lower() == "off":
            return False
        return super().value_from_datadict(data, files, name)


class StrictBooleanField(forms.BooleanField):
    """A checkbox that refuses anything but what a checkbox or a JSON boolean sends
    (``on``, ``true``/``false``, ``1``/``0``, nothing): Django's BooleanField takes
    any other text as true, so ``"confirm_duplicate": "maybe"`` confirmed a
    duplicate."""

    widget = StrictCheckboxInput

    def to_python(self, value):
        if isinstance(value, str) and value.strip().lower() not in ACCEPTED_BOOLEANS:
            raise ValidationError(_("请选择“是”或“否”。"), code="invalid")
        if isinstance(value, str) and value.strip().lower() == "off":
            value = False
        return super().to_python(value)
