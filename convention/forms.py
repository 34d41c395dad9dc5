"""Forms parse input; ``convention.services`` checks the rules again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.forms import DATE_WIDGET
from institutions import access
from institutions.enums import InstitutionKind
from institutions.forms import InstitutionChoiceField
from institutions.models import Institution, User

from .models import ConventionVersion


class PublishForm(forms.Form):
    label = forms.CharField(label=_("版本"), max_length=40, help_text=_("例如“2026年版”。"))
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE_WIDGET)
    text = forms.CharField(label=_("公约文本"), widget=forms.Textarea(attrs={"rows": 16}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate()


class VersionChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("data-user-content", "")

    def label_from_instance(self, obj: ConventionVersion) -> str:
        return f"{obj.label}（{obj.effective_on:%Y-%m-%d}）"


class SignForm(forms.Form):
    institution = InstitutionChoiceField(label=_("签署机构"), queryset=Institution.objects.none())
    version = VersionChoiceField(label=_("公约版本"), queryset=ConventionVersion.objects.none())
    signed_on = forms.DateField(label=_("签署日期"), widget=DATE_WIDGET)
    signer_name = forms.CharField(label=_("签署人"), max_length=40)
    signer_title = forms.CharField(label=_("签署人职务"), max_length=60)

    def __init__(self, *args, user: User, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = (
            access.institutions_visible_to(user)
            .filter(is_active=True)
            .exclude(kind=InstitutionKind.REGULATOR)
            .order_by("path")
        )
        self.fields["version"].queryset = versions
        self.fields["signed_on"].initial = timezone.localdate()
        first = versions.first()
        if first is not None:
            self.fields["version"].initial = first.pk
