from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions import access
from institutions.forms import ModelChoiceField
from institutions.models import Institution

from ..models import ReturnDefinition
from .periods import MONTHLY, Period, last_finished

FORMAT_CHOICES = [("xlsx", "Excel (xlsx)"), ("csv", "CSV"), ("json", "JSON")]


class ReturnForm(forms.Form):
    definition = ModelChoiceField(
        label=_("报送格式"), queryset=ReturnDefinition.objects.filter(is_active=True)
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=9998)
    number = forms.IntegerField(
        label=_("月份或季度"), min_value=1, max_value=12, help_text=_("月报填月份，季报填季度")
    )
    root = ModelChoiceField(label=_("报送范围（含下级）"), queryset=Institution.objects.none())
    format = forms.ChoiceField(label=_("文件格式"), choices=FORMAT_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].queryset = access.institutions_visible_to(user).order_by("path")
        self.fields["root"].label_from_instance = lambda i: f"{'　' * i.depth}{i.name}"
        first = ReturnDefinition.objects.filter(is_active=True).first()
        period = last_finished(first.frequency if first else "quarterly")
        self.initial.setdefault("definition", first.pk if first else None)
        self.initial.setdefault("year", period.year)
        self.initial.setdefault("number", period.number)
        self.initial.setdefault("root", user.institution_id)
        self.initial.setdefault("format", "xlsx")

    def clean(self):
        data = super().clean()
        definition, year, number = data.get("definition"), data.get("year"), data.get("number")
        if definition and year and number:
            try:
                data["period"] = Period(definition.frequency, year, number)
            except ValueError:
                self.add_error(
                    "number",
                    _("月报的月份为 1–12") if definition.frequency == MONTHLY else _("季度为 1–4"),
                )
                return data
            if data["period"].start > timezone.localdate():
                self.add_error("year", _("报送期间尚未开始。"))
        return data
