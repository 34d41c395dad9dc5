from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import options


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


class ReferenceSelectsMixin:
    """A form with selects of reference data in the user's scope (institutions,
    JR/T codes, staff). Its template writes each of ``reference_fields`` through
    institutions/_reference_widget.html, which caches the select's markup under
    ``options_key`` and the chosen value (``institutions.options``). The form sets
    ``self.user``."""

    #: The fields whose options are reference data.
    reference_fields: tuple[str, ...] = ()
    user = None

    @cached_property
    def options_key(self) -> tuple | None:
        """The form (two forms may name a field alike and list other options), then
        what the data shown depends on; None: cache nothing."""
        key = options.fragment_key(self.user)
        if key is None:
            return None
        return (type(self).__module__, type(self).__qualname__, self.auto_id, *key)


def institution_label(name: str, depth: int) -> str:
    """An institution indented by its depth in the tree, for selects."""
    return "　" * depth + name


class InstitutionLabels:
    """Institutions indented by depth (mixed into a choice field)."""

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
