"""Forms parse and validate; the services write. Model validation (figures not
negative, date within the campaign, constraints) runs through ``full_clean`` in the
ModelForms, so the form and the database refuse the same input."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions import tree
from institutions.access import institutions_visible_to
from institutions.enums import InstitutionKind
from institutions.forms import NO_CHOICE, InstitutionChoiceField, InstitutionMultipleChoiceField
from publicity.rules import recordable_institutions

from .enums import ActivityKind, SummaryGrouping
from .metrics import FIGURE_FIELDS
from .models import NON_NEGATIVE, Activity, Campaign, MediaReport
from .selectors import audiences_active, topics_active
from .services import ActivityData, CampaignData, MediaReportData
from .validators import inspect_photo, photo_max_bytes

MAX_PHOTOS_PER_UPLOAD = 10
NEGATIVE = NON_NEGATIVE.message


class CampaignForm(forms.ModelForm):
    organiser = InstitutionChoiceField(queryset=None, label=_("组织机构"))
    participants = InstitutionMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("参加机构"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("要求参加本次活动的机构；其下属网点均可登记活动。"),
    )

    class Meta:
        model = Campaign
        fields = [
            "theme",
            "slogan",
            "organiser",
            "starts_on",
            "ends_on",
            "participants",
            "description",
            "target_outlets",
            "target_outdoor_events",
            "target_leaflets",
            "target_people_reached",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            name: {"min_value": NEGATIVE}
            for name in (
                "target_outlets",
                "target_outdoor_events",
                "target_leaflets",
                "target_people_reached",
            )
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = institutions_visible_to(user).filter(is_active=True).order_by("path")
        self.fields["organiser"].queryset = visible
        self.fields["participants"].queryset = visible.exclude(kind=InstitutionKind.REGULATOR)
        if not self.instance.pk and user.institution_id:
            self.initial.setdefault("organiser", user.institution_id)

    def to_data(self) -> CampaignData:
        data = self.cleaned_data
        return CampaignData(
            **{
                name: data[name]
                for name in self._meta.fields
                if name in data and name != "participants"
            },
            participants=list(data["participants"]),
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once; each checked by its content (see validators)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS_PER_UPLOAD:
            raise forms.ValidationError(
                _("一次最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS_PER_UPLOAD}
            )
        errors = []
        for upload in files:
            try:
                inspect_photo(upload)
            except forms.ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return list(files)


class ActivityForm(forms.ModelForm):
    institution = InstitutionChoiceField(queryset=None, label=_("开展机构"))
    complaint_numbers = forms.CharField(
        label=_("现场受理的投诉编号"),
        required=False,
        help_text=_("可选；多个编号用逗号或空格分隔，关联到已登记的投诉记录。"),
    )

    def clean_complaint_numbers(self):
        import re

        return [
            n
            for n in re.split(r"[\s,，、]+", self.cleaned_data.get("complaint_numbers") or "")
            if n
        ]

    photos = PhotosField(
        label=_("活动照片"),
        required=False,
        help_text=_("可多选；仅限 JPEG、PNG、GIF、WebP 格式。"),
    )

    class Meta:
        model = Activity
        fields = [
            "institution",
            "title",
            "held_on",
            "kind",
            "place",
            "topics",
            "audiences",
            *FIGURE_FIELDS,
            "description",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "topics": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            **{name: {"min_value": NEGATIVE} for name in FIGURE_FIELDS},
            "topics": {"required": _("请至少选择一项宣传主题。")},
        }

    def __init__(self, *args, user, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        # The campaign is fixed by the page; set it before validation so that
        # Activity.clean can check the date against the campaign's period.
        self.instance.campaign = campaign
        self.campaign = campaign
        self.fields["institution"].queryset = recordable_institutions(user).order_by("path")
        self.fields["topics"].queryset = topics_active()
        self.fields["audiences"].queryset = audiences_active()
        self.fields["kind"].choices = [("", NO_CHOICE), *ActivityKind.choices]
        self.fields["money_recovered"].widget.attrs["min"] = 0
        if not self.instance.pk:
            if user.institution_id:
                self.initial.setdefault("institution", user.institution_id)
            today = timezone.localdate()
            self.initial.setdefault(
                "held_on", min(max(today, campaign.starts_on), campaign.ends_on)
            )
        else:
            self.initial.setdefault(
                "complaint_numbers",
                " ".join(self.instance.linked_complaints.values_list("tracking_no", flat=True)),
            )
            self.fields["photos"].label = _("追加照片")
        self.fields["held_on"].help_text = _("活动期间：%(period)s") % {
            "period": campaign.period_display
        }
        self.fields["photos"].help_text = _(
            "可多选；仅限 JPEG、PNG、GIF、WebP 格式，单张不超过 %(limit)s。"
        ) % {"limit": filesizeformat(photo_max_bytes())}
        self.metric_fields = [self[name] for name in FIGURE_FIELDS]

    def to_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            institution=data["institution"],
            title=data["title"],
            held_on=data["held_on"],
            kind=data["kind"],
            place=data["place"],
            topics=list(data["topics"]),
            audiences=list(data["audiences"]),
            description=data["description"],
            figures={name: data[name] for name in FIGURE_FIELDS},
            complaint_numbers=data.get("complaint_numbers", []),
        )


class MediaReportForm(forms.ModelForm):
    url = forms.URLField(label=_("链接"), required=False, assume_scheme="https")

    class Meta:
        model = MediaReport
        fields = ["outlet", "title", "published_on", "url"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


MediaReportFormSet = forms.inlineformset_factory(
    Activity, MediaReport, form=MediaReportForm, extra=1, can_delete=True, max_num=20
)


def media_reports_from(formset) -> list[MediaReportData]:
    """The reports a valid formset keeps (filled in and not marked for deletion)."""
    return [
        MediaReportData(
            outlet=form.cleaned_data["outlet"],
            title=form.cleaned_data["title"],
            published_on=form.cleaned_data["published_on"],
            url=form.cleaned_data.get("url", ""),
        )
        for form in formset.forms
        # An extra form left empty has no cleaned data.
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ActivityFilterForm(forms.Form):
    """Filters of the activity list; choices limited to what the user can see."""

    campaign = forms.ModelChoiceField(
        queryset=None, required=False, label=_("宣传活动"), empty_label=_("全部")
    )
    institution = InstitutionChoiceField(
        queryset=None, required=False, label=_("开展机构"), empty_label=_("全部")
    )
    kind = forms.ChoiceField(
        choices=[("", _("全部")), *ActivityKind.choices], required=False, label=_("活动形式")
    )
    held_from = forms.DateField(
        required=False, label=_("日期从"), widget=forms.DateInput(attrs={"type": "date"})
    )
    held_to = forms.DateField(
        required=False, label=_("日期至"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["institution"].queryset = institutions_visible_to(user).order_by("path")

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["campaign"]:
            queryset = queryset.filter(campaign=data["campaign"])
        if data["institution"]:
            queryset = queryset.filter(tree.subtree_q(data["institution"], "institution"))
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["held_from"]:
            queryset = queryset.filter(held_on__gte=data["held_from"])
        if data["held_to"]:
            queryset = queryset.filter(held_on__lte=data["held_to"])
        return queryset


class SummaryGroupingForm(forms.Form):
    by = forms.ChoiceField(
        choices=SummaryGrouping.choices, required=False, label=_("汇总方式"), initial="bank"
    )

    def grouping(self) -> str:
        if self.is_valid() and self.cleaned_data["by"]:
            return self.cleaned_data["by"]
        return SummaryGrouping.BANK
