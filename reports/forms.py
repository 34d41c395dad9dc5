from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from institutions import access
from institutions.forms import ModelChoiceField
from institutions.models import Institution


class PackForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000)
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        coerce=int,
        choices=[(q, _("第%(q)d季度") % {"q": q}) for q in (1, 2, 3, 4)],
    )
    root = ModelChoiceField(label=_("统计范围（含下级）"), queryset=Institution.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request so the labels follow the user's language.
        self.fields["quarter"].choices = [
            (q, gettext("第%(q)d季度") % {"q": q}) for q in (1, 2, 3, 4)
        ]
        self.fields["root"].queryset = access.institutions_visible_to(user).order_by("path")
        self.fields["root"].label_from_instance = lambda i: f"{'　' * i.depth}{i.name}"
        today = timezone.localdate()
        last_q = (today.month - 1) // 3  # the last finished quarter
        year = today.year if last_q else today.year - 1
        self.initial.setdefault("year", year)
        self.initial.setdefault("quarter", last_q or 4)
        self.initial.setdefault("root", user.institution_id)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("历史投诉文件（.xlsx 或 .csv）"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只支持 .xlsx 或 .csv 文件。"))
        limit = settings.IMPORT_MAX_BYTES
        if f.size > limit:
            raise forms.ValidationError(
                _("文件不能超过 %(mb)d MB。") % {"mb": limit // (1024 * 1024)}
            )
        return f


class HotlineForm(ImportForm):
    file = forms.FileField(label=_("热线转办清单（.xlsx 或 .csv）"))
