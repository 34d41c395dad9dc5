"""Forms parse input; ``.services`` and ``.workflow`` check the rules again (a form
is one door among several: the demo, the admin, other apps' calls)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from complaints.forms import DATE_WIDGET, MultipleFileInput
from institutions import access
from institutions.enums import InstitutionKind
from institutions.forms import InstitutionChoiceField, ReferenceSelectsMixin
from institutions.models import Institution, User
from supervision import rules as sv_access

from .enums import MeasureKind, RectificationSource, RectificationStatus
from .files import ACCEPT

TEXT = {"rows": 3}


class FilesField(forms.FileField):
    """Several files at once; their content is checked by the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("图片（JPEG、PNG、GIF、WebP）或 PDF，最多 10 个。"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        for upload in files:
            super().clean(upload)
        return files


def _institutions(user: User):
    return (
        access.institutions_visible_to(user)
        .exclude(kind=InstitutionKind.REGULATOR)
        .order_by("path")
    )


class DeadlineFields(forms.Form):
    working_days = forms.IntegerField(
        label=_("整改时限（工作日）"),
        required=False,
        min_value=1,
        max_value=250,
        help_text=_("按节假日安排计算工作日；填写整改期限日期时以日期为准。"),
    )
    due_on = forms.DateField(label=_("整改期限"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_days"].initial = settings.RECTIFICATION_DEFAULT_WORKING_DAYS


class MeasureForm(ReferenceSelectsMixin, DeadlineFields):
    reference_fields = ("institution",)

    institution = InstitutionChoiceField(label=_("对象机构"), queryset=Institution.objects.none())
    kind = forms.ChoiceField(label=_("措施类型"), choices=MeasureKind.choices)
    taken_on = forms.DateField(label=_("采取日期"), widget=DATE_WIDGET)
    basis = forms.CharField(
        label=_("依据"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=2000,
        help_text=_("法律、法规、规章或规范性文件依据"),
    )
    content = forms.CharField(
        label=_("措施内容与发现的问题"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )
    complaint_numbers = forms.CharField(
        label=_("涉及的投诉编号"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("多个编号以空格、逗号或换行分隔"),
    )
    enforcement_case = forms.ModelChoiceField(
        label=_("关联诉转案"), required=False, queryset=Institution.objects.none()
    )
    files = FilesField(label=_("文书材料"))
    requirement = forms.CharField(
        label=_("整改要求"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("限期整改须填写；填写后同时下发一项整改事项"),
    )
    field_order = ["institution", "kind", "taken_on", "basis", "content", "complaint_numbers"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["institution"].queryset = _institutions(user)
        self.fields["enforcement_case"].queryset = sv_access.enforcement_list_for_user(
            user
        ).order_by("-opened_at")
        # The deadline fields belong to the item ordered with the measure.
        self.order_fields([*self.field_order, "enforcement_case", "files", "requirement"])


class ItemForm(ReferenceSelectsMixin, DeadlineFields):
    """下发整改事项. The source and its references come from the page that links here
    (a measure, a complaint, a hot-spot cell) as hidden fields."""

    reference_fields = ("institution",)

    institution = InstitutionChoiceField(label=_("整改机构"), queryset=Institution.objects.none())
    source = forms.ChoiceField(label=_("来源"), choices=RectificationSource.choices)
    source_ref = forms.CharField(
        label=_("来源说明"),
        required=False,
        max_length=300,
        help_text=_("检查发现问题的文号或条目、同类投诉的描述等"),
    )
    requirement = forms.CharField(
        label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    measure = forms.IntegerField(required=False, widget=forms.HiddenInput)
    complaint = forms.IntegerField(required=False, widget=forms.HiddenInput)
    cause = forms.IntegerField(required=False, widget=forms.HiddenInput)
    business_line = forms.IntegerField(required=False, widget=forms.HiddenInput)
    period = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    field_order = ["institution", "source", "source_ref", "requirement"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        qs = _institutions(user)
        if not access.is_regulator(user) and user.institution_id:
            # Root-cause tracing: a manager opens items for institutions below their own.
            qs = qs.exclude(pk=user.institution_id)
        self.fields["institution"].queryset = qs


class AnswerForm(forms.Form):
    response = forms.CharField(
        label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )
    files = FilesField(label=_("整改证明材料"))


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("验收意见"), required=False, widget=forms.Textarea(attrs=TEXT), max_length=4000
    )


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs=TEXT), max_length=4000)


STEP_FORMS = {"answer": AnswerForm, "accept": AcceptForm, "return": ReturnForm}


class MeasureFilterForm(ReferenceSelectsMixin, forms.Form):
    reference_fields = ("root",)

    kind = forms.ChoiceField(
        label=_("措施类型"), choices=[("", _("全部")), *MeasureKind.choices], required=False
    )
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


class RectificationFilterForm(MeasureFilterForm):
    kind = None  # type: ignore[assignment]
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *RectificationStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)
    field_order = ["status", "overdue", "root"]
