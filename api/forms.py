"""The browser's forms as the API's input: one validation for both doors.

The API validates a request body with the very Django form the browser posts
(``complaints.forms.IntakeForm``, ``ACTION_FORMS``, ``ListFilterForm``), so a rule
changed there changes both. Two helpers sit around them:

* ``form_data`` adapts a JSON object to what the form expects (JSON booleans for the
  forms' "1"/"0" choice fields, integers as text) and refuses a value of the wrong
  JSON type for its field, and text a database cannot store;
* ``serializer_for_form`` describes a form as a DRF serializer, used only to publish
  the OpenAPI schema (request bodies and query parameters); it never validates.
"""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.settings import api_settings

from complaints.validators import UNSTORABLE_MESSAGE, has_unstorable_characters


def _is_yes_no(field: forms.Field) -> bool:
    """The forms' TypedChoiceField("1"/"0") used for yes/no questions (is_valid,
    approve): published as a JSON boolean."""
    if not isinstance(field, forms.TypedChoiceField):
        return False
    return {str(value) for value, label in field.choices} == {"1", "0"}


# The one JSON type each kind of form field takes (docs/api.md, "Types"): a value of
# any other type is a 400 naming the field, never a crash in the form's parsing (a
# boolean in a date field was a 500) nor a silent coercion ("maybe" was true).
BOOLEAN, INTEGER, INTEGERS, STRINGS, DECIMAL, DATETIME, DATE, STRING = (
    "boolean",
    "integer",
    "integers",
    "strings",
    "decimal",
    "datetime",
    "date",
    "string",
)
TYPE_ERRORS = {
    BOOLEAN: gettext_lazy("请填写 JSON 布尔值 true 或 false。"),
    INTEGER: gettext_lazy("请填写整数（JSON 数字）。"),
    INTEGERS: gettext_lazy("请填写由整数组成的 JSON 数组。"),
    STRINGS: gettext_lazy("请填写由字符串组成的 JSON 数组。"),
    DECIMAL: gettext_lazy('金额请以字符串填写，如 "120.50"。'),
    DATETIME: gettext_lazy('请以字符串填写 ISO 8601 日期时间，如 "2026-01-31T09:30:00+08:00"。'),
    DATE: gettext_lazy('请以字符串填写日期，如 "2026-01-31"。'),
    STRING: gettext_lazy("请填写字符串。"),
}
#: Ids and versions are 64-bit integers in the database; a larger number is refused
#: here rather than overflowing in the query.
MAX_INT = 2**63 - 1


def json_kind(field: forms.Field) -> str:
    """Which JSON type ``field`` takes (the schema publishes the same: ``serializer_field``)."""
    if isinstance(field, forms.BooleanField) or _is_yes_no(field):
        return BOOLEAN
    if isinstance(field, forms.ModelMultipleChoiceField):
        return INTEGERS
    if isinstance(field, forms.ModelChoiceField):
        return INTEGER
    if isinstance(field, forms.MultipleChoiceField):
        return STRINGS
    if isinstance(field, forms.DecimalField):
        return DECIMAL
    if isinstance(field, forms.IntegerField):
        return INTEGER
    if isinstance(field, forms.DateTimeField):
        return DATETIME
    if isinstance(field, forms.DateField):
        return DATE
    return STRING


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_INT


def _as_form_value(field: forms.Field, value):
    """``value`` as the form expects it, or None when its JSON type is wrong."""
    kind = json_kind(field)
    if kind == BOOLEAN:
        if not isinstance(value, bool):
            return None
        return ("1" if value else "0") if _is_yes_no(field) else value
    if kind == INTEGER:
        return str(value) if _is_int(value) else None
    if kind == INTEGERS:
        ok = isinstance(value, list) and all(_is_int(v) for v in value)
        return [str(v) for v in value] if ok else None
    if kind == STRINGS:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return value if ok else None
    return value if isinstance(value, str) else None


def form_data(form_class: type[forms.Form], data) -> dict:
    """A JSON request body as form data. Raises a 400 with field errors for a body
    that is not an object, a field given a value of the wrong JSON type (see
    ``json_kind``), or text with characters no database column can hold (a NUL, a
    lone UTF-16 surrogate such as ``"\\ud800"``). ``null`` is "not given": the form
    says whether the field is required."""
    if not isinstance(data, dict):
        raise ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY: [
                    ErrorDetail(_("请求体必须是 JSON 对象。"), code="invalid")
                ]
            }
        )
    out, errors = {}, {}
    for name, field in form_class.base_fields.items():
        if name not in data:
            continue
        value = data[name]
        if value is None:
            out[name] = None
            continue
        converted = _as_form_value(field, value)
        if converted is None:
            errors[name] = [ErrorDetail(str(TYPE_ERRORS[json_kind(field)]), code="type")]
            continue
        texts = converted if isinstance(converted, list) else [converted]
        if any(isinstance(t, str) and has_unstorable_characters(t) for t in texts):
            errors[name] = [ErrorDetail(str(UNSTORABLE_MESSAGE), code="invalid_characters")]
            continue
        out[name] = converted
    if errors:
        raise ValidationError(errors)
    return out


def _describe(field: forms.Field):
    """The form's label (and help text), still lazy: the schema speaks the language
    it is requested in (``/api/schema/?lang=en``)."""
    if field.help_text:
        return format_lazy("{}（{}）", field.label or "", field.help_text)
    return field.label or ""


def _choices(field: forms.ChoiceField) -> list:
    return [(v, label) for v, label in field.choices if v != ""]


def serializer_field(
    field: forms.Field, *, required: bool | None = None, help_text: str = ""
) -> serializers.Field:
    """The DRF field that describes a Django form field in the schema: the JSON type
    ``form_data`` accepts for it (``json_kind``), nullable when the form field is
    optional (``null`` means "not given")."""
    common = {
        "required": field.required if required is None else required,
        "allow_null": not field.required,
        "help_text": help_text or _describe(field),
    }
    kind = json_kind(field)
    if kind == BOOLEAN:
        return serializers.BooleanField(**common)
    if kind == INTEGERS:
        return serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_INT), **common
        )
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(min_value=1, max_value=MAX_INT, **common)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.MultipleChoiceField(choices=_choices(field), **common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(
            choices=_choices(field), allow_blank=not field.required, **common
        )
    if kind == DECIMAL:  # a string, as DRF publishes decimals (COERCE_DECIMAL_TO_STRING)
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            min_value=field.min_value,
            **common,
        )
    if kind == INTEGER:
        return serializers.IntegerField(min_value=-MAX_INT, max_value=MAX_INT, **common)
    if kind == DATETIME:
        return serializers.DateTimeField(**common)
    if kind == DATE:
        return serializers.DateField(**common)
    if isinstance(field, forms.CharField):
        return serializers.CharField(
            max_length=field.max_length, allow_blank=not field.required, **common
        )
    raise TypeError(f"no API description for {type(field).__name__}; add it to api.forms")


def serializer_for_form(
    form_class: type[forms.Form],
    name: str,
    *,
    optional: tuple[str, ...] = (),
    help_texts: dict[str, str] | None = None,
    doc: str = "",
) -> type[serializers.Serializer]:
    """A serializer class named ``name`` with one field per form field; ``optional``
    names required form fields the API lets a client leave out (e.g. ``version``
    when it sends If-Match instead)."""
    help_texts = help_texts or {}
    attrs = {
        field_name: serializer_field(
            field,
            required=False if field_name in optional else None,
            help_text=help_texts.get(field_name, ""),
        )
        for field_name, field in form_class.base_fields.items()
    }
    attrs["__doc__"] = doc or form_class.__doc__ or ""
    attrs["__module__"] = __name__
    return type(name, (serializers.Serializer,), attrs)
