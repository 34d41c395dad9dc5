"""The browser's forms as the API's input: one validation for both doors.

The API validates a request body with the very Django form the browser posts
(``complaints.forms.IntakeForm``, ``ACTION_FORMS``, ``ListFilterForm``), so a rule
changed there changes both. Two helpers sit around them:

* ``form_data`` adapts a JSON object to what the form expects (JSON booleans for the
  forms' "1"/"0" choice fields, numbers as text) and refuses nested values;
* ``serializer_for_form`` describes a form as a DRF serializer, used only to publish
  the OpenAPI schema (request bodies and query parameters); it never validates.
"""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.settings import api_settings


def _is_yes_no(field: forms.Field) -> bool:
    """The forms' TypedChoiceField("1"/"0") used for yes/no questions (is_valid,
    approve): published as a JSON boolean."""
    if not isinstance(field, forms.TypedChoiceField):
        return False
    return {str(value) for value, label in field.choices} == {"1", "0"}


def form_data(form_class: type[forms.Form], data) -> dict:
    """A JSON request body as form data. Raises a 400 with field errors for a body
    that is not an object or a field given a list/object where a value belongs."""
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
        if isinstance(field, forms.MultipleChoiceField):
            value = value if isinstance(value, list) else [value]
            if all(isinstance(v, str) for v in value):
                out[name] = value
                continue
        elif isinstance(value, bool):
            out[name] = ("1" if value else "0") if _is_yes_no(field) else value
            continue
        elif value is None or isinstance(value, str):
            out[name] = value
            continue
        elif isinstance(value, int | float):
            out[name] = str(value)
            continue
        errors[name] = [ErrorDetail(_("格式不正确。"), code="invalid")]
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
    """The DRF field that describes a Django form field in the schema."""
    required = field.required if required is None else required
    common = {"required": required, "help_text": help_text or _describe(field)}
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if _is_yes_no(field):
        return serializers.BooleanField(**common)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(min_value=1), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(min_value=1, **common)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.MultipleChoiceField(choices=_choices(field), **common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=_choices(field), allow_blank=not required, **common)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            min_value=field.min_value,
            **common,
        )
    if isinstance(field, forms.IntegerField):  # after DecimalField, its subclass
        return serializers.IntegerField(**common)
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.CharField):
        return serializers.CharField(
            max_length=field.max_length, allow_blank=not required, **common
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
