"""Forms parse input; ``mediation.workflow`` and ``mediation.services`` check the
rules again (forms are one door among several: the admin, the demo)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.forms import DATE_WIDGET, DT_WIDGET
from institutions import access
from institutions.enums import InstitutionKind
from institutions.forms import InstitutionChoiceField
from institutions.models import Institution, User

from .enums import JudicialDecision, MediationStatus, Mode, Party, Procedure
from .models import Mediator

TEXT = {"rows": 3}


class ApplicationForm(forms.Form):
    """调解申请 from a complaint: the parties come from the complaint."""

    applied_on = forms.DateField(label=_("申请日期"), widget=DATE_WIDGET)
    request = forms.CharField(
        label=_("申请事项与理由"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=4000,
        help_text=_("消费者请求调解的事项、诉求及理由"),
    )
    procedure = forms.ChoiceField(label=_("调解程序"), choices=Procedure.choices)
    mode = forms.ChoiceField(label=_("调解方式"), choices=Mode.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applied_on"].initial = timezone.localdate()


class DirectApplicationForm(ApplicationForm):
    """A direct application names the parties."""

    applicant_name = forms.CharField(label=_("申请人姓名"), max_length=60)
    applicant_phone = forms.RegexField(
        label=_("申请人电话"), regex=r"^[0-9+\- ]{5,20}$", required=False, max_length=20
    )
    institution = InstitutionChoiceField(label=_("被申请机构"), queryset=Institution.objects.none())
    field_order = ["applicant_name", "applicant_phone", "institution"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = (
            access.institutions_visible_to(user)
            .exclude(kind=InstitutionKind.REGULATOR)
            .order_by("path")
        )


class ConsentForm(forms.Form):
    party = forms.ChoiceField(label=_("当事方"), choices=Party.choices)
    agreed = forms.TypedChoiceField(
        label=_("是否同意调解"),
        choices=[("yes", _("同意")), ("no", _("不同意"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("不同意调解的理由"),
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=2000,
    )
    remedies = forms.CharField(
        label=_("告知的其他救济途径"),
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parties is not None:
            self.fields["party"].choices = [c for c in Party.choices if c[0] in parties]


class MediatorForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("调解员"), queryset=Mediator.objects.none())

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["mediator"].queryset = Mediator.objects.filter(
                office_id=case.office_id, active=True
            )


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(label=_("调解时间"), widget=DT_WIDGET)
    mode = forms.ChoiceField(label=_("调解方式"), choices=Mode.choices)
    place = forms.CharField(label=_("地点或方式说明"), max_length=200)
    participants = forms.CharField(
        label=_("参加人员"), widget=forms.Textarea(attrs=TEXT), max_length=2000
    )
    statements = forms.CharField(
        label=_("各方陈述"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )
    offers = forms.CharField(
        label=_("调解方案与各方意见"),
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=4000,
    )


class AgreementForm(forms.Form):
    parties = forms.CharField(
        label=_("当事人基本情况"), widget=forms.Textarea(attrs=TEXT), max_length=2000
    )
    facts = forms.CharField(
        label=_("纠纷主要事实与争议事项"), widget=forms.Textarea(attrs=TEXT), max_length=4000
    )
    responsibilities = forms.CharField(
        label=_("各方当事人的责任"), widget=forms.Textarea(attrs=TEXT), max_length=4000
    )
    terms = forms.CharField(
        label=_("达成协议的内容"), widget=forms.Textarea(attrs=TEXT), max_length=4000
    )
    performance_method = forms.CharField(
        label=_("履行方式"), widget=forms.Textarea(attrs=TEXT), max_length=2000
    )
    perform_by = forms.DateField(label=_("履行期限"), widget=DATE_WIDGET)
    effective_on = forms.DateField(label=_("协议生效日期"), widget=DATE_WIDGET)
    consumer_signatory = forms.CharField(label=_("消费者签字"), max_length=60)
    institution_signatory = forms.CharField(label=_("机构代表签字"), max_length=60)


class PerformanceForm(forms.Form):
    note = forms.CharField(label=_("履行情况"), widget=forms.Textarea(attrs=TEXT), max_length=4000)
    completed = forms.BooleanField(label=_("已全部履行"), required=False)


class JudicialForm(forms.Form):
    applied_on = forms.DateField(label=_("申请司法确认日期"), widget=DATE_WIDGET)
    court = forms.CharField(label=_("受理法院"), max_length=120)
    court_case_no = forms.CharField(label=_("法院案号"), max_length=60)
    decision = forms.ChoiceField(label=_("法院裁定"), choices=JudicialDecision.choices)
    decided_on = forms.DateField(label=_("裁定日期"), widget=DATE_WIDGET)


class FailForm(forms.Form):
    reason = forms.CharField(
        label=_("调解不成的原因"), widget=forms.Textarea(attrs=TEXT), max_length=4000
    )
    remedies = forms.CharField(
        label=_("告知的其他救济途径"),
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=2000,
        help_text=_("留空则写入默认告知：诉讼、仲裁或继续投诉。"),
    )


STEP_FORMS = {
    "consent": ConsentForm,
    "assign_mediator": MediatorForm,
    "session": SessionForm,
    "agreement": AgreementForm,
    "performance": PerformanceForm,
    "judicial": JudicialForm,
    "fail": FailForm,
}


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *MediationStatus.choices], required=False
    )
