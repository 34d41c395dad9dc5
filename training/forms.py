"""Forms parse input; ``training.services`` checks the rules again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import attachments
from complaints.forms import DATE_WIDGET
from institutions import access
from institutions.forms import InstitutionChoiceField
from institutions.models import Institution, User

from .models import MAX_HOURS, MIN_HOURS
from .selectors import staff_choices

MAX_MATERIALS = 10
MAX_NAMED = 200


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MaterialsField(forms.FileField):
    """Several files at once (PDF or images), each checked by its content."""

    widget = MultipleFileInput(attrs={"accept": attachments.ACCEPT})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_MATERIALS:
            raise forms.ValidationError(_("一次最多上传 %(n)s 个文件。") % {"n": MAX_MATERIALS})
        errors = []
        for upload in files:
            try:
                attachments.inspect_evidence(upload)
            except forms.ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return list(files)


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Names and institutions are data as entered (tests/test_english_pages.py).
        self.widget.attrs.setdefault("data-user-content", "")

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.username}（{obj.institution.name}）"


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("培训日期"), widget=DATE_WIDGET)
    organiser = InstitutionChoiceField(label=_("组织机构"), queryset=Institution.objects.none())
    topic = forms.CharField(label=_("培训主题"), max_length=200)
    hours = forms.DecimalField(
        label=_("培训学时（小时）"),
        min_value=MIN_HOURS,
        max_value=MAX_HOURS,
        max_digits=4,
        decimal_places=1,
    )
    content = forms.CharField(
        label=_("培训内容"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    staff = StaffChoiceField(
        label=_("参训人员（系统用户）"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    named = forms.CharField(
        label=_("其他参训人员（无系统账号）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一个姓名。"),
    )
    named_institution = InstitutionChoiceField(
        label=_("其他参训人员所在机构"), queryset=Institution.objects.none(), required=False
    )
    materials = MaterialsField(label=_("培训材料"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        visible = access.institutions_visible_to(user).filter(is_active=True).order_by("path")
        self.fields["organiser"].queryset = visible
        self.fields["named_institution"].queryset = visible
        self.fields["staff"].queryset = staff_choices(user)
        self.fields["held_on"].initial = timezone.localdate()
        # Interpolated per request: at import time it would freeze one language.
        self.fields["hours"].help_text = _("每人参训的小时数，%(min)s 至 %(max)s。") % {
            "min": MIN_HOURS,
            "max": MAX_HOURS,
        }
        if user.institution_id:
            self.fields["organiser"].initial = user.institution_id

    def clean_named(self) -> list[str]:
        names = [n.strip() for n in self.cleaned_data["named"].splitlines() if n.strip()]
        if len(names) > MAX_NAMED:
            raise forms.ValidationError(_("一次最多填写 %(n)s 人。") % {"n": MAX_NAMED})
        if any(len(n) > 40 for n in names):
            raise forms.ValidationError(_("姓名不能超过 40 个字。"))
        return names

    def clean(self):
        data = super().clean()
        if data.get("named") and not data.get("named_institution"):
            self.add_error("named_institution", _("请选择其他参训人员所在机构。"))
        if "staff" in data and "named" in data and not data["staff"] and not data["named"]:
            self.add_error("staff", _("请至少选择或填写一名参训人员。"))
        return data


class PeriodForm(forms.Form):
    starts_on = forms.DateField(label=_("起始日期"), widget=DATE_WIDGET, required=False)
    ends_on = forms.DateField(label=_("截止日期"), widget=DATE_WIDGET, required=False)

    def clean(self):
        data = super().clean()
        s, e = data.get("starts_on"), data.get("ends_on")
        if s and e and s > e:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def period(self):
        """The chosen period, defaulting to the current calendar year."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        starts = data.get("starts_on") or today.replace(month=1, day=1)
        ends = data.get("ends_on") or today.replace(month=12, day=31)
        return starts, ends
