"""Institution selects: options indented by depth; the options, the selection and
validation must be what Django's instance-based field gives."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceField, ModelMultipleChoiceField

from institutions.forms import (
    NO_CHOICE,
    InstitutionChoiceField,
    InstitutionMultipleChoiceField,
    institution_label,
)
from institutions.models import Institution


class Ours(forms.Form):
    one = InstitutionChoiceField(queryset=Institution.objects.order_by("path"), required=False)
    many = InstitutionMultipleChoiceField(
        queryset=Institution.objects.order_by("path"), required=False
    )


class Djangos(forms.Form):
    one = ModelChoiceField(
        queryset=Institution.objects.order_by("path"), required=False, empty_label=NO_CHOICE
    )
    many = ModelMultipleChoiceField(queryset=Institution.objects.order_by("path"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label_from_instance = lambda i: institution_label(i.name, i.depth)
            # Ours marks institution names as entered data (tests/test_english_pages.py).
            field.widget.attrs["data-user-content"] = ""


def test_options_and_selection_equal_djangos(county):
    data = {"one": county.a_out1.pk, "many": [county.bank_a.pk, county.b_out1.pk]}
    for name in ("one", "many"):
        assert str(Ours(data)[name]) == str(Djangos(data)[name])
    outlet = county.a_out1
    label = "　" * outlet.depth + outlet.name
    assert f'<option value="{outlet.pk}" selected>{label}</option>' in str(Ours(data)["one"])


def test_validation_still_goes_through_the_queryset(county):
    form = Ours({"one": county.a_out1.pk, "many": [county.bank_b.pk]})
    assert form.is_valid()
    assert form.cleaned_data["one"] == county.a_out1
    assert list(form.cleaned_data["many"]) == [county.bank_b]
    limited = Ours({"one": county.bank_x.pk})
    limited.fields["one"].queryset = Institution.objects.filter(pk=county.a_out1.pk)
    assert not limited.is_valid()
    assert "one" in limited.errors


def test_options_cost_one_query_whatever_their_number(county, django_assert_num_queries):
    with django_assert_num_queries(1):
        str(Ours()["one"])
