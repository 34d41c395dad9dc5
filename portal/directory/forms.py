from django import forms
from django.utils.translation import gettext_lazy as _

#: A search is a name or a place, never a paragraph: longer input is refused (400).
QUERY_MAX_LENGTH = 50


class DirectorySearchForm(forms.Form):
    """The directory's GET parameters. CharField refuses NUL characters, which
    PostgreSQL cannot store or compare."""

    q = forms.CharField(
        label=_("机构名称或地区"),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("如：农商行、城关、王官庄"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
    )
    bank = forms.IntegerField(label=_("银行"), required=False, min_value=1, max_value=2**31 - 1)
