"""Forms parse and validate input; the services check the rules again (forms are one
door among several: the admin, the demo, future API calls)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.forms import DATE_WIDGET, InstitutionChoiceField
from complaints.models import TaxonomyCode
from institutions import access
from institutions.forms import ReferenceSelectsMixin
from institutions.models import Institution, User

from .enums import EnforcementKind, TypicalCaseCategory
from .selectors import HotspotThreshold, LibraryFilters, default_threshold, quarter_bounds
from .services import TypicalCaseData

MAX_PERIOD_DAYS = 3 * 366


class RootForm(ReferenceSelectsMixin, forms.Form):
    """Which part of the user's scope a page is about (default: all of it)."""

    reference_fields = ("root",)

    root = InstitutionChoiceField(
        label=_("机构（含下级）"),
        required=False,
        queryset=Institution.objects.none(),
        empty_label=_("本机构全部范围"),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["root"].queryset = access.institutions_visible_to(user).order_by("path")


class MajorFilterForm(RootForm):
    open_only = forms.BooleanField(label=_("仅未办结"), required=False)


class StatisticsForm(RootForm):
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE_WIDGET)

    # The hot spots' threshold for this look (default: the settings).
    min_count = forms.IntegerField(
        label=_("热点最少件数"), required=False, min_value=1, max_value=100000
    )
    min_rise = forms.IntegerField(
        label=_("热点最低增幅（%）"), required=False, min_value=0, max_value=100000
    )

    field_order = ["start", "end", "root", "min_count", "min_rise"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = default_threshold()
        self.fields["min_count"].widget.attrs["placeholder"] = defaults.min_count
        self.fields["min_rise"].widget.attrs["placeholder"] = defaults.min_rise_percent

    def clean(self):
        data = super().clean()
        default_start, default_end = quarter_bounds(timezone.localdate())
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if end < start:
            raise forms.ValidationError(_("截止日期不能早于起始日期。"))
        if end - start > timedelta(days=MAX_PERIOD_DAYS):
            raise forms.ValidationError(_("统计区间不能超过三年。"))
        data["start"], data["end"] = start, end
        return data

    def period(self):
        """(start, end): the chosen period, or this quarter."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return quarter_bounds(timezone.localdate())

    def threshold(self) -> HotspotThreshold:
        """The hot spots' threshold: the fields given, else the settings."""
        defaults = default_threshold()
        d = self.cleaned_data if self.is_valid() else {}
        return HotspotThreshold(
            min_count=d["min_count"] if d.get("min_count") is not None else defaults.min_count,
            min_rise_percent=(
                d["min_rise"] if d.get("min_rise") is not None else defaults.min_rise_percent
            ),
        )


class LibraryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("标题"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("标题关键词")}),
    )
    category = forms.ChoiceField(
        label=_("案例类别"), required=False, choices=[("", _("全部")), *TypicalCaseCategory.choices]
    )
    business = forms.ModelChoiceField(
        label=_("业务类别"),
        required=False,
        queryset=TaxonomyCode.objects.filter(dimension="B"),
        empty_label=_("全部"),
    )
    cause = forms.ModelChoiceField(
        label=_("投诉原因"),
        required=False,
        queryset=TaxonomyCode.objects.filter(dimension="C"),
        empty_label=_("全部"),
    )
    unread = forms.BooleanField(label=_("待我阅知"), required=False)

    def filters(self) -> LibraryFilters:
        d = self.cleaned_data if self.is_valid() else {}
        return LibraryFilters(
            q=d.get("q") or "",
            category=d.get("category") or "",
            business=d["business"].pk if d.get("business") else None,
            cause=d["cause"].pk if d.get("cause") else None,
            unread=bool(d.get("unread")),
        )


class TypicalCaseForm(forms.Form):
    title = forms.CharField(label=_("案例标题"), max_length=120)
    category = forms.ChoiceField(label=_("案例类别"), choices=TypicalCaseCategory.choices)
    cause_analysis = forms.CharField(label=_("原因分析"), widget=forms.Textarea(attrs={"rows": 4}))
    handling_process = forms.CharField(
        label=_("处理过程"), widget=forms.Textarea(attrs={"rows": 4})
    )
    lessons = forms.CharField(
        label=_("经验教训与改进措施"), widget=forms.Textarea(attrs={"rows": 4})
    )
    published = forms.BooleanField(
        label=_("发布到案例库"),
        required=False,
        help_text=_("个人信息将自动脱敏：投诉人姓名、电话、证件号码不会以明文保存。"),
    )

    def to_data(self) -> TypicalCaseData:
        return TypicalCaseData(**self.cleaned_data)


class CirculateForm(forms.Form):
    institutions = forms.ModelMultipleChoiceField(
        label=_("通报机构"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("所选机构及其下级机构的人员均可在案例库中查阅并确认阅知。"),
    )
    note = forms.CharField(
        label=_("通报要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions"].queryset = (
            access.institutions_visible_to(user).exclude(kind="regulator").order_by("path")
        )
        self.fields["institutions"].label_from_instance = lambda i: f"{'　' * i.depth}{i.name}"


class EnforcementOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("检查类型"), choices=EnforcementKind.choices)
    summary = forms.CharField(
        label=_("立案事由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("投诉反映的违规问题及拟检查的内容"),
    )


class EnforcementCloseForm(forms.Form):
    result = forms.CharField(label=_("检查结果与处理"), widget=forms.Textarea(attrs={"rows": 4}))
