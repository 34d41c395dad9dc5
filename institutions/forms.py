from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The same answer for an unknown user and a wrong password, so accounts cannot
    be discovered through the login page."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("用户名或密码不正确。"),
    }
    username = forms.CharField(
        label=_("用户名"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


# --- Choice fields ---------------------------------------------------------------------

#: The empty option of a select in a form that records something, as in the handler
#: options and the ID-type select; a filter's empty option reads 全部 instead.
NO_CHOICE = "—"


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with the empty option reading ``NO_CHOICE`` instead of its
    "---------" (for every project select of records; filters pass ``empty_label``)."""

    def __init__(self, queryset, *, empty_label=NO_CHOICE, **kwargs):
        super().__init__(queryset, empty_label=empty_label, **kwargs)


# --- Choice fields whose options are read as tuples -----------------------------------


class ValuesChoiceIterator(ModelChoiceIterator):
    """Options from ``values_list`` tuples instead of model instances.

    Django's iterator builds a full model instance per option only to call
    ``label_from_instance``; a city office's institution select has 300 options on
    every list page, and building them cost more than the page's SQL
    (docs/performance.md). The field names the columns its label needs
    (``option_fields``) and formats them (``option_label``); validation still goes
    through the queryset as before."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, *values in self.queryset.values_list("pk", *self.field.option_fields):
            yield (pk, self.field.option_label(*values))


def institution_label(name: str, depth: int) -> str:
    """An institution indented by its depth in the tree, for selects."""
    return "　" * depth + name


class InstitutionLabels:
    """Institutions indented by depth, read as tuples (mixed into a choice field)."""

    iterator = ValuesChoiceIterator
    option_fields = ("name", "depth")

    def option_label(self, name: str, depth: int) -> str:
        return institution_label(name, depth)

    def label_from_instance(self, obj) -> str:
        return institution_label(obj.name, obj.depth)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Institution names are data as entered, in Chinese on English pages too; the
        # mark tells tests/test_english_pages.py so.
        self.widget.attrs.setdefault("data-user-content", "")


class InstitutionChoiceField(InstitutionLabels, ModelChoiceField):
    pass


class InstitutionMultipleChoiceField(InstitutionLabels, forms.ModelMultipleChoiceField):
    pass
