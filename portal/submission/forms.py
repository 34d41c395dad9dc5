"""The portal's forms: parse and validate what the public types; nothing here writes."""

from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from complaints import attachments
from complaints.enums import AnswerPreference, IdType, Satisfaction
from complaints.validators import (
    clean_person_name,
    clean_text,
    normalize_account_number,
    normalize_phone,
    validate_resident_id,
)
from institutions.forms import NO_CHOICE
from institutions.models import Institution

from . import selectors


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several images or PDFs at once, each checked by its content."""

    widget = MultipleFileInput(attrs={"accept": attachments.ACCEPT})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        limit = int(settings.PORTAL_MAX_FILES)
        if len(files) > limit:
            raise ValidationError(_("最多上传 %(n)s 个文件。") % {"n": limit})
        errors = []
        for upload in files:
            try:
                attachments.inspect_evidence(upload)
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return list(files)


def _evidence_help() -> str:
    return _("可选。图片（JPEG、PNG、GIF、WebP）或 PDF，最多 %(n)s 个，每个不超过 %(size)s。") % {
        "n": settings.PORTAL_MAX_FILES,
        "size": filesizeformat(attachments.max_bytes()),
    }


class PortalCaptchaInput(CaptchaTextInput):
    """The captcha as one labelled text box: the library's widget is a MultiWidget, so
    Django would wrap it in a fieldset whose legend labels no input (axe: critical),
    and its image's alt text is English only."""

    use_fieldset = False
    template_name = "portal/submission/captcha_widget.html"


class CaptchaMixin:
    """Adds the captcha field when the view says the address needs it."""

    def add_captcha(self, required: bool) -> None:
        if required:
            self.fields["captcha"] = CaptchaField(
                widget=PortalCaptchaInput,
                label=_("验证码"),
                help_text=_("请输入图片中的字符，看不清可刷新页面换一张。"),
            )


class OnlineComplaintForm(CaptchaMixin, forms.Form):
    complained_institution = forms.TypedChoiceField(
        label=_("被投诉机构"),
        coerce=int,
        help_text=_("请选择办理业务的网点；不清楚具体网点时，选择该银行“不清楚具体网点”一项。"),
    )
    description = forms.CharField(
        label=_("投诉事项"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("请写明时间、地点、经过。请勿填写银行卡密码、验证码等信息。"),
    )
    demand = forms.CharField(
        label=_("投诉诉求"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    complainant_name = forms.CharField(label=_("姓名"), max_length=40)
    complainant_phone = forms.CharField(
        label=_("联系电话"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("用于联系您和查询进度（查询时核对后四位）。"),
    )
    id_type = forms.ChoiceField(
        label=_("证件类型"),
        choices=[("", NO_CHOICE), *IdType.choices],
        required=False,
    )
    id_number = forms.CharField(label=_("证件号码"), max_length=32, required=False)
    account_number = forms.CharField(
        label=_("涉及的银行卡号/账号"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    answer_preference = forms.ChoiceField(
        label=_("希望的答复方式"),
        choices=AnswerPreference.choices,
        initial=AnswerPreference.PHONE,
    )
    consumer_email = forms.EmailField(label=_("电子邮箱"), max_length=120, required=False)
    notify_consent = forms.BooleanField(
        label=_("同意通过短信或电子邮件接收受理、延期、答复等进度通知"), required=False
    )
    files = EvidenceField(label=_("证据材料"), required=False)
    privacy_accepted = forms.BooleanField(
        label=_("我已阅读并同意《个人信息处理告知》"),
        error_messages={"required": _("请阅读并同意个人信息处理告知后再提交。")},
    )

    def __init__(self, *args, captcha: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complained_institution"].choices = [
            ("", NO_CHOICE),
            *selectors.institution_choices(),
        ]
        self.fields["files"].help_text = _evidence_help()
        self.add_captcha(captcha)

    def clean_complained_institution(self) -> Institution:
        pk = self.cleaned_data["complained_institution"]
        inst = Institution.objects.filter(pk=pk, is_active=True).exclude(kind="regulator").first()
        if inst is None:
            raise ValidationError(_("请选择被投诉机构。"))
        return inst

    def clean_complainant_name(self) -> str:
        return clean_person_name(self.cleaned_data["complainant_name"], max_length=40)

    def clean_complainant_phone(self) -> str:
        return normalize_phone(self.cleaned_data["complainant_phone"])

    def clean_description(self) -> str:
        return clean_text(self.cleaned_data["description"], max_length=2000)

    def clean_demand(self) -> str:
        return clean_text(self.cleaned_data["demand"], max_length=1000)

    def clean_account_number(self) -> str:
        return normalize_account_number(self.cleaned_data.get("account_number") or "")

    def clean(self):
        data = super().clean()
        number = (data.get("id_number") or "").strip().upper()
        if number:
            data["id_type"] = data.get("id_type") or IdType.RESIDENT_ID
            if data["id_type"] == IdType.RESIDENT_ID:
                try:
                    validate_resident_id(number)
                except ValidationError as e:
                    self.add_error("id_number", e)
        else:
            data["id_type"] = ""
        data["id_number"] = number
        if data.get("answer_preference") == AnswerPreference.EMAIL and not data.get(
            "consumer_email"
        ):
            self.add_error("consumer_email", _("选择电子邮件答复时请填写电子邮箱。"))
        return data

    def registration_data(self) -> dict:
        d = self.cleaned_data
        return {
            k: d.get(k)
            for k in (
                "complained_institution",
                "description",
                "demand",
                "complainant_name",
                "complainant_phone",
                "id_type",
                "id_number",
                "account_number",
                "answer_preference",
                "consumer_email",
                "notify_consent",
            )
        }


class EnquiryForm(CaptchaMixin, forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    proof = forms.CharField(
        label=_("手机号后四位或查询密码"),
        max_length=40,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, captcha: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_captcha(captcha)


class AdditionForm(forms.Form):
    text = forms.CharField(
        label=_("补充说明"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    files = EvidenceField(label=_("补充材料"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _evidence_help()

    def clean_text(self) -> str:
        return clean_text(self.cleaned_data.get("text"), max_length=2000)

    def clean(self):
        data = super().clean()
        if not data.get("text") and not data.get("files") and not self.errors:
            raise ValidationError(_("请填写补充说明或上传材料。"))
        return data


class VerdictForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("您对答复的评价"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("选择“不满意”时，请写明理由，投诉将重新处理。"),
    )

    def clean_comment(self) -> str:
        return clean_text(self.cleaned_data.get("comment"), max_length=1000)
