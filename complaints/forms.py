"""Forms parse and validate input; business rules are checked again in the services
and the workflow (forms are only one of several doors: API, import, admin)."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from institutions import access
from institutions.enums import Role
from institutions.forms import (
    NO_CHOICE,
    InstitutionChoiceField,
    ModelChoiceField,
    ReferenceSelectsMixin,
)
from institutions.models import Institution, User

from . import attachments, selectors
from .enums import (
    BANK_INTAKE_SOURCES,
    OFFICE_INTAKE_SOURCES,
    AnswerPreference,
    AttachmentKind,
    ComplaintKind,
    ComplaintStatus,
    Complexity,
    ContactMethod,
    IdType,
    IntakeSource,
    PauseReason,
    RefusalReason,
    Satisfaction,
    WithdrawalChannel,
)
from .fields import (
    LINE_MAX,
    LONG_TEXT_MAX,
    NOTE_MAX,
    SEARCH_MAX,
    PersonNameField,
    StrictBooleanField,
    TextField,
)
from .models import (
    AnswerTemplate,
    Complaint,
    ComplaintAttachment,
    HandlingCategory,
    TaxonomyCode,
    localized_name,
)
from .selectors import ComplaintFilters
from .validators import normalize_account_number, normalize_phone, validate_resident_id

#: Dates before this year or after the next are refused as input errors (and keep
#: date arithmetic far from the limits of the calendar).
EARLIEST_YEAR = 2000

DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


EM_SPACE = "\u2003"


class TaxonomyChoiceField(ModelChoiceField):
    """A JR/T code indented by its level."""

    def label_from_instance(self, obj):
        # An em space per level (not the ideographic space: English pages too).
        return f"{EM_SPACE * (obj.level - 1)}{localized_name(obj.name, obj.name_en)}"


class TaxonomyCodeChoiceField(ModelChoiceField):
    """A JR/T code as "code name", for filters."""

    def label_from_instance(self, obj):
        return f"{obj.code} {localized_name(obj.name, obj.name_en)}"


class IntakeForm(forms.Form):
    """受理登记: ordered for taking a complaint on the phone; Tab moves through it."""

    intake_source = forms.ChoiceField(
        label=_("投诉来源"), choices=IntakeSource.choices, initial=IntakeSource.PHONE
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=ComplaintKind.choices, initial=ComplaintKind.COMPLAINT
    )
    received_at = forms.DateTimeField(
        label=_("受理时间"), widget=DT_WIDGET, required=False, help_text=_("默认为当前时间")
    )
    complainant_name = PersonNameField(label=_("投诉人姓名"))
    complainant_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,  # as typed, with spaces or hyphens; stored as digits (≤ 20)
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    id_type = forms.ChoiceField(
        label=_("证件类型"), choices=[("", NO_CHOICE), *IdType.choices], required=False
    )
    id_number = forms.CharField(label=_("证件号码"), max_length=32, required=False)
    contact_address = TextField(label=_("联系地址"), max_length=LINE_MAX, required=False)
    account_number = forms.CharField(
        label=_("涉及的银行卡号/账号"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("选填；10–25 位数字，可含空格或短横线"),
    )
    answer_preference = forms.ChoiceField(
        label=_("希望的答复方式"), choices=AnswerPreference.choices, initial=AnswerPreference.PHONE
    )
    consumer_email = forms.EmailField(
        label=_("电子邮箱"), max_length=120, required=False, help_text=_("选填；用于发送进度通知")
    )
    notify_consent = StrictBooleanField(
        label=_("客户同意接收进度短信/邮件"),
        required=False,
        help_text=_(
            "须经客户本人同意：受理、延期、答复和重新处理时向其手机号码（及所填邮箱）发送通知"
        ),
    )
    description = TextField(label=_("投诉事项"), max_length=LONG_TEXT_MAX, rows=4)
    demand = TextField(label=_("投诉诉求"), max_length=LONG_TEXT_MAX, rows=2)
    amount = forms.DecimalField(
        label=_("涉及金额（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    complained_institution = InstitutionChoiceField(
        label=_("被投诉机构"), queryset=Institution.objects.none()
    )
    complained_staff = ModelChoiceField(
        label=_("被投诉员工"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("被投诉机构的员工；可输入姓名筛选"),
        widget=forms.Select(attrs={"data-filterable": _("输入姓名筛选")}),
    )
    complained_staff_name = PersonNameField(
        label=_("被投诉人员（非系统内员工）"),
        required=False,
        help_text=_("仅用于不在列表中的人员（如外包、保安）；与员工姓名唯一相同时自动关联"),
    )
    channel = TaxonomyChoiceField(
        label=_("业务办理渠道（A）"),
        required=False,
        queryset=TaxonomyCode.objects.filter(dimension="A", is_active=True),
    )
    business = TaxonomyChoiceField(
        label=_("业务类别（B）"),
        required=False,
        queryset=TaxonomyCode.objects.filter(dimension="B", is_active=True),
    )
    cause = TaxonomyChoiceField(
        label=_("投诉原因（C）"),
        required=False,
        queryset=TaxonomyCode.objects.filter(dimension="C", is_active=True),
    )
    category = ModelChoiceField(
        label=_("处理类别"),
        queryset=HandlingCategory.objects.all(),
        help_text=_("决定一般/复杂及答复期限；可按投诉原因自动建议"),
    )
    raise_to_complex = StrictBooleanField(label=_("升级为复杂投诉"), required=False)
    complexity_reason = TextField(label=_("升级理由"), max_length=LINE_MAX, required=False)
    is_major = StrictBooleanField(label=_("重大投诉（自动报告人民银行）"), required=False)
    confirm_duplicate = StrictBooleanField(label=_("已核实，仍要登记"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        insts = access.institutions_visible_to(user).filter(is_active=True)
        if not user.institution.is_regulator:
            insts = insts.exclude(kind="regulator")
        self.fields["complained_institution"].queryset = insts.order_by("path")
        office = bool(user.institution and user.institution.is_regulator)
        if not office and user.institution:
            self.fields["complained_institution"].initial = user.institution.pk
        sources = OFFICE_INTAKE_SOURCES if office else BANK_INTAKE_SOURCES
        self.fields["intake_source"].choices = [(s.value, s.label) for s in sources]
        if office:
            self.fields["intake_source"].initial = IntakeSource.HOTLINE_12363
        self._init_complained_staff()
        self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        if not self.is_bound:
            # A teller starts typing at once; after a failed submit the focus belongs
            # to the error summary instead (js/error-summary.js).
            self.fields["intake_source"].widget.attrs["autofocus"] = True
        self.duplicates = []

    def _init_complained_staff(self) -> None:
        """Any staff member the user can see is a valid value (checked against the
        chosen institution in ``clean``); the options shown are the staff of the
        institution chosen now, and are reloaded when it changes (static/js/intake.js)."""
        field = self.fields["complained_staff"]
        field.widget.attrs.update(
            {
                "data-reload-from": self.add_prefix("complained_institution"),
                "data-reload-url": reverse("complaints:staff_options"),
            }
        )
        field.queryset = access.scope(
            self.user,
            User.objects.filter(is_active=True, role__in=selectors.STAFF_ROLES),
            "institution",
        )
        field.label_from_instance = staff_label
        chosen = self["complained_institution"].value()
        inst = (
            self.fields["complained_institution"]
            .queryset.filter(pk=chosen if str(chosen or "").isdigit() else None)
            .first()
        )
        staff = selectors.complained_staff_candidates(inst) if inst else User.objects.none()
        field.choices = [("", NO_CHOICE), *((u.pk, staff_label(u)) for u in staff)]

    def _clean_complained_staff(self, data: dict) -> None:
        """非当事人 starts here: the person complained about is a user of the system
        whenever they are one, so the handler rule can check them. A chosen member
        of staff must work at the complained-about institution or below it; a typed
        name that is exactly one such person's is linked to them; a name shared by
        several must be resolved by choosing."""
        inst = data.get("complained_institution")
        staff = data.get("complained_staff")
        name = (data.get("complained_staff_name") or "").strip()
        if inst is None:
            return
        candidates = selectors.complained_staff_candidates(inst)
        if staff is not None:
            if not candidates.filter(pk=staff.pk).exists():
                self.add_error("complained_staff", _("所选员工不属于被投诉机构。"))
            elif name and name != staff.full_name:
                self.add_error(
                    "complained_staff_name",
                    _("已选择系统内员工时，请勿另填其他姓名。"),
                )
            return
        matches = selectors.complained_staff_by_name(inst, name)
        if len(matches) == 1:
            data["complained_staff"] = matches[0]
        elif len(matches) > 1:
            self.add_error(
                "complained_staff",
                _("被投诉机构有 %(n)d 名员工名为“%(name)s”，请从列表中选择是哪一位。")
                % {"n": len(matches), "name": name},
            )

    @cached_property
    def category_suggestions(self) -> dict[int, int]:
        """JR/T cause → the handling category it suggests, for the page's script.
        Only a rendered form needs it, not a registration that succeeds."""
        suggestions = {}
        for cat in HandlingCategory.objects.prefetch_related("typical_causes"):
            for cause in cat.typical_causes.all():
                suggestions.setdefault(cause.pk, cat.pk)
        return suggestions

    def clean_account_number(self) -> str:
        return normalize_account_number(self.cleaned_data.get("account_number") or "")

    def clean_complainant_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("complainant_phone") or "")

    def clean_id_number(self):
        return (self.cleaned_data.get("id_number") or "").strip().upper()

    def clean_received_at(self):
        value = self.cleaned_data.get("received_at")
        if value and value > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("受理时间不能晚于当前时间。"))
        if value and value.year < EARLIEST_YEAR:
            raise forms.ValidationError(
                _("受理时间不能早于 %(year)d 年。") % {"year": EARLIEST_YEAR}
            )
        return value

    def clean(self):
        data = super().clean()
        if data.get("id_number") and not data.get("id_type"):
            self.add_error("id_type", _("填写证件号码时请选择证件类型。"))
        if data.get("id_type") == IdType.RESIDENT_ID and data.get("id_number"):
            try:
                validate_resident_id(data["id_number"])
            except forms.ValidationError as e:
                self.add_error("id_number", e)
        self._clean_complained_staff(data)
        cat = data.get("category")
        if (
            data.get("raise_to_complex")
            and cat
            and cat.complexity == Complexity.SIMPLE
            and not (data.get("complexity_reason") or "").strip()
        ):
            self.add_error("complexity_reason", _("升级为复杂投诉须填写理由。"))
        if not self.errors and data.get("complained_institution"):
            from .services import find_earlier_complaints

            self.duplicates = list(
                find_earlier_complaints(
                    phone=data.get("complainant_phone", ""),
                    id_number=data.get("id_number", ""),
                    account_number=data.get("account_number", ""),
                    institution=data["complained_institution"],
                ).only("pk", "tracking_no", "received_at", "status")[:5]
            )
            if self.duplicates and not data.get("confirm_duplicate"):
                raise forms.ValidationError(
                    _(
                        "该客户在 90 天内已对同一机构投诉过，请核对下方记录；"
                        "确属新投诉请勾选“已核实，仍要登记”后再保存。"
                    ),
                    code="duplicate",
                )
        return data


class DispatchForm(forms.Form):
    """The regulator's optional one-step dispatch beside the intake form."""

    dispatch_institution = InstitutionChoiceField(
        label=_("分办至机构"), required=False, queryset=Institution.objects.none()
    )
    dispatch_handler = ModelChoiceField(
        label=_("处理人"), required=False, queryset=User.objects.none()
    )
    dispatch_note = TextField(label=_("转办意见"), max_length=NOTE_MAX, rows=2, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        insts = access.institutions_visible_to(user).exclude(kind="regulator").order_by("path")
        self.fields["dispatch_institution"].queryset = insts
        handler = self.fields["dispatch_handler"]
        handler.queryset = eligible_handlers(user)
        offer_handlers_of(self, "dispatch_institution", handler)

    def clean(self):
        data = super().clean()
        inst, handler = data.get("dispatch_institution"), data.get("dispatch_handler")
        if bool(inst) != bool(handler):
            raise forms.ValidationError(_("转办须同时选择机构和处理人。"))
        if inst and handler and handler.institution_id != inst.pk:
            self.add_error("dispatch_handler", _("处理人必须属于所选机构。"))
        return data


def offer_handlers_of(form: forms.Form, institution_field: str, handler_field, exclude=None):
    """Show in ``handler_field`` only the handlers of the institution chosen in
    ``institution_field`` (reloaded in the page when it changes: static/js/forms.js);
    any handler of the field's queryset stays a valid value."""
    bound = form[institution_field].value()
    chosen = int(bound) if str(bound or "").isdigit() else None
    handlers = handler_field.queryset.filter(institution_id=chosen) if chosen else []
    handler_field.choices = [("", NO_CHOICE), *((u.pk, staff_label(u)) for u in handlers)]
    url = reverse("complaints:handler_options")
    if exclude:
        url += f"?exclude={exclude}"
    handler_field.widget.attrs.update(
        {
            "data-reload-from": form.add_prefix(institution_field),
            "data-reload-url": url,
            "data-user-content": "",  # people's names (tests/test_english_pages.py)
        }
    )


def staff_label(user: User) -> str:
    """A member of staff in a select: name, institution and role, so two people of
    the same name can be told apart."""
    detail = _("%(institution)s·%(role)s") % {
        "institution": user.institution.display_name,
        "role": user.get_role_display(),
    }
    return user.get_full_name() + _("（%(text)s）") % {"text": detail}


def eligible_handlers(user: User, institution: Institution | None = None):
    qs = User.objects.filter(is_active=True, role__in=(Role.HANDLER, Role.MANAGER)).select_related(
        "institution"
    )
    qs = access.scope(user, qs, "institution")
    if institution is not None:
        qs = qs.filter(institution=institution)
    return qs.order_by("institution__path", "full_name")


# --- action forms (one per workflow action) -------------------------------------------


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, complaint=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.complaint, self.user = complaint, user
        if complaint is not None and not self.is_bound:
            self.initial["version"] = complaint.version

    def action_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class RefuseForm(ActionForm):
    reason = forms.ChoiceField(label=_("不予受理原因"), choices=RefusalReason.choices)
    note = TextField(label=_("说明"), max_length=NOTE_MAX, rows=2, required=False)


class TransferForm(ActionForm):
    to = TextField(label=_("移送至"), max_length=120)
    reason = TextField(label=_("移送原因"), max_length=NOTE_MAX, rows=2)


class AssignForm(ActionForm):
    institution = InstitutionChoiceField(label=_("处理机构"), queryset=Institution.objects.none())
    handler = ModelChoiceField(label=_("处理人"), queryset=User.objects.none())
    note = TextField(label=_("分办意见"), max_length=NOTE_MAX, rows=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is None:
            return
        self.fields["institution"].queryset = (
            access.institutions_visible_to(self.user).exclude(kind="regulator").order_by("path")
        )
        handlers = eligible_handlers(self.user)
        party = self.complaint.complained_staff_id if self.complaint is not None else None
        if party:
            # 非当事人: the person complained about is not offered.
            handlers = handlers.exclude(pk=party)
        self.fields["handler"].queryset = handlers
        if self.complaint is not None and not self.is_bound:
            self.initial["institution"] = self._institution_with_handlers(handlers)
        offer_handlers_of(self, "institution", self.fields["handler"], exclude=party)

    def _institution_with_handlers(self, handlers) -> int | None:
        """The institution the form starts on: the one handling the complaint if it
        has someone to assign, else the nearest one above it that has (an outlet
        usually has no handler of its own), else the first that has any."""
        staffed = set(handlers.values_list("institution_id", flat=True))
        inst = self.complaint.handling_institution
        while inst is not None:
            if inst.pk in staffed:
                return inst.pk
            inst = inst.parent
        first = handlers.first()
        return first.institution_id if first else None


class StartForm(ActionForm):
    note = TextField(label=_("说明"), max_length=NOTE_MAX, required=False)


class EscalateForm(ActionForm):
    reason = TextField(label=_("上报原因"), max_length=NOTE_MAX, rows=2)
    major = StrictBooleanField(label=_("标记为重大投诉（自动报告人民银行）"), required=False)


class ExtensionRequestForm(ActionForm):
    reason = TextField(label=_("延期原因"), max_length=NOTE_MAX, rows=2)
    requested_due_at = forms.DateTimeField(label=_("承诺办结时间"), widget=DT_WIDGET)
    customer_told = StrictBooleanField(label=_("已向客户说明原因并告知承诺时间"), required=True)


class DecideExtensionForm(ActionForm):
    approve = forms.TypedChoiceField(
        label=_("审批结果"),
        choices=[("1", _("批准")), ("0", _("驳回"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = TextField(label=_("审批意见"), max_length=NOTE_MAX, required=False)


class SuperviseForm(ActionForm):
    note = TextField(label=_("督办意见"), max_length=NOTE_MAX, rows=2)
    expected_by = forms.DateField(label=_("要求办结日期"), required=False, widget=DATE_WIDGET)

    def clean_expected_by(self):
        value = self.cleaned_data.get("expected_by")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("要求办结日期不能早于今天。"))
        return value


class ResolveForm(ActionForm):
    findings = TextField(label=_("调查核实情况"), max_length=LONG_TEXT_MAX, rows=3)
    is_valid = forms.TypedChoiceField(
        label=_("是否有效投诉"),
        choices=[("1", _("有效投诉")), ("0", _("无效投诉"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    measures = TextField(label=_("处理措施"), max_length=LONG_TEXT_MAX, rows=2)
    money_recovered = forms.DecimalField(
        label=_("挽回经济损失（元）"), min_value=0, initial=0, max_digits=14, decimal_places=2
    )
    staff_opinion = TextField(
        label=_("对责任人的处理意见"), max_length=LONG_TEXT_MAX, rows=2, required=False
    )


class AnswerForm(ActionForm):
    method = forms.ChoiceField(label=_("反馈方式"), choices=AnswerPreference.choices)
    answered_at = forms.DateTimeField(
        label=_("反馈时间"), widget=DT_WIDGET, required=False, help_text=_("默认为当前时间")
    )
    satisfaction = forms.ChoiceField(
        label=_("客户满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = TextField(label=_("反馈内容"), max_length=LONG_TEXT_MAX, rows=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.complaint is not None and not self.is_bound:
            self.initial["method"] = self.complaint.answer_preference


class ReopenForm(ActionForm):
    reason = TextField(label=_("重新处理原因"), max_length=NOTE_MAX, rows=2)


class ReverifyForm(ActionForm):
    analysis = TextField(
        label=_("重新核查分析（客户再次投诉的原因、复核的事实）"),
        max_length=LONG_TEXT_MAX,
        rows=3,
    )


class ContactForm(ActionForm):
    method = forms.ChoiceField(label=_("联系方式"), choices=ContactMethod.choices)
    contacted_at = forms.DateTimeField(
        label=_("联系时间"), widget=DT_WIDGET, required=False, help_text=_("默认为当前时间")
    )
    contact_with = PersonNameField(
        label=_("联系对象"), required=False, help_text=_("默认为投诉人本人")
    )
    summary = TextField(label=_("联系情况"), max_length=NOTE_MAX, rows=2)


class ArchiveForm(ActionForm):
    note = TextField(label=_("归档说明"), max_length=NOTE_MAX, required=False)


class PauseForm(ActionForm):
    reason = forms.ChoiceField(label=_("中止计时原因"), choices=PauseReason.choices)
    consumer_told_via = forms.ChoiceField(label=_("告知消费者方式"), choices=ContactMethod.choices)
    consumer_told_at = forms.DateTimeField(
        label=_("告知消费者时间"), widget=DT_WIDGET, required=False, help_text=_("默认为当前时间")
    )
    note = TextField(
        label=_("说明（鉴定机构、所需材料等）"), max_length=NOTE_MAX, rows=2, required=False
    )


class ResumeForm(ActionForm):
    note = TextField(label=_("恢复说明"), max_length=NOTE_MAX, rows=2, required=False)


class ExtendStatutoryForm(ActionForm):
    days = forms.TypedChoiceField(
        label=_("延长后的法定时限"),
        choices=[(30, _("30 日（情况复杂）")), (60, _("60 日（情况特别复杂）"))],
        coerce=int,
    )
    reason = TextField(label=_("延长理由"), max_length=NOTE_MAX, rows=2)
    consumer_told_via = forms.ChoiceField(label=_("告知消费者方式"), choices=ContactMethod.choices)
    consumer_told_at = forms.DateTimeField(
        label=_("告知消费者时间"), widget=DT_WIDGET, required=False, help_text=_("默认为当前时间")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pack = self.complaint.statutory_pack if self.complaint is not None else None
        if pack is not None:
            self.fields["days"].choices = [
                (d, label)
                for d, label in (
                    (pack.complex_days, _("%(d)s 日（情况复杂）") % {"d": pack.complex_days}),
                    (pack.special_days, _("%(d)s 日（情况特别复杂）") % {"d": pack.special_days}),
                )
                if d > self.complaint.statutory_days
            ]


class RefileForm(ActionForm):
    new_facts = TextField(label=_("新的事实或理由"), max_length=NOTE_MAX, rows=2)
    filed_at = forms.DateTimeField(
        label=_("再次投诉时间"), widget=DT_WIDGET, required=False, help_text=_("默认为当前时间")
    )


class WithdrawForm(ActionForm):
    withdrawn_on = forms.DateField(label=_("收到撤诉日期"), widget=DATE_WIDGET)
    channel = forms.ChoiceField(label=_("撤诉方式"), choices=WithdrawalChannel.choices)
    note = TextField(label=_("说明"), max_length=NOTE_MAX, rows=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["withdrawn_on"] = timezone.localdate()


class MergeForm(ActionForm):
    primary = forms.ModelChoiceField(label=_("合并至在办投诉"), queryset=Complaint.objects.none())
    new_facts = StrictBooleanField(
        label=_("有新的事实或理由（法定时限自本次投诉重新起算）"), required=False
    )
    note = TextField(label=_("说明"), max_length=NOTE_MAX, rows=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.complaint is None or self.user is None:
            return
        field = self.fields["primary"]
        field.queryset = selectors.merge_candidates(self.user, self.complaint).only(
            "pk", "tracking_no", "received_at", "status"
        )
        # No personal data in the label: the number, the day and the state.
        field.label_from_instance = lambda c: (
            _("%(no)s（%(day)s 受理，%(status)s）")
            % {
                "no": c.tracking_no,
                "day": timezone.localdate(c.received_at).isoformat(),
                "status": c.get_status_display(),
            }
        )


# --- The case file (案卷材料) ----------------------------------------------------------

#: Files one upload may carry (the intake form, the attach action, the API).
MAX_FILES_PER_UPLOAD = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several evidence files at once, each checked by its content
    (``complaints.attachments``): images, PDF, audio and video of the reception."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": attachments.STAFF_ACCEPT}))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("一次最多上传 %(n)d 个文件。") % {"n": MAX_FILES_PER_UPLOAD}, code="too_many"
            )
        errors = []
        for upload in files:
            try:
                super().clean(upload)  # the name's length, an empty file
                attachments.inspect_evidence(upload, families=attachments.FAMILIES)
            except forms.ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return files


def _evidence_help() -> str:
    sizes = {k: filesizeformat(v) for k, v in attachments.limits().items()}
    return (
        _(
            "图片（JPEG、PNG、GIF、WebP，不超过 %(image)s，保存时去除拍摄位置等元数据）、"
            "PDF（不超过 %(pdf)s）、录音（MP3、M4A、WAV、OGG、AMR，不超过 %(audio)s）、"
            "录像（MP4、MOV、WebM，不超过 %(video)s）。不接受 SVG、压缩包和 Office 文件。"
        )
        % sizes
    )


class AttachForm(ActionForm):
    files = EvidenceFilesField(label=_("文件"))
    kind = forms.ChoiceField(
        label=_("材料类别"),
        choices=[c for c in AttachmentKind.choices if c[0] != AttachmentKind.RECORDING_REF],
        initial=AttachmentKind.RECEIPT,
    )
    description = TextField(label=_("说明"), max_length=LINE_MAX, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _evidence_help()


class RecordingForm(ActionForm):
    system = TextField(
        label=_("录音录像系统"), max_length=60, help_text=_("如：营业厅双录系统、客服录音系统")
    )
    identifier = TextField(label=_("系统内编号"), max_length=120)
    starts_at = forms.DateTimeField(label=_("录制开始时间"), widget=DT_WIDGET)
    ends_at = forms.DateTimeField(label=_("录制结束时间"), widget=DT_WIDGET)
    sha256 = forms.CharField(
        label=_("SHA-256"),
        max_length=64,
        required=False,
        help_text=_("选填；录音录像系统提供的文件哈希值（64 位十六进制）"),
    )
    description = TextField(label=_("说明"), max_length=LINE_MAX, required=False)


class RemoveAttachmentForm(ActionForm):
    attachment = ModelChoiceField(label=_("材料"), queryset=ComplaintAttachment.objects.none())
    reason = TextField(label=_("删除原因"), max_length=NOTE_MAX, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attachment"]
        if self.complaint is not None:
            field.queryset = selectors.attachments_of(self.complaint)
        field.label_from_instance = lambda a: f"{a.pk} · {a.title}"


class IntakeEvidenceForm(forms.Form):
    """Evidence files handed over at the counter, stored with the registration."""

    evidence = EvidenceFilesField(label=_("材料（可选）"), required=False)
    evidence_kind = forms.ChoiceField(
        label=_("材料类别"),
        choices=[c for c in AttachmentKind.choices if c[0] != AttachmentKind.RECORDING_REF],
        initial=AttachmentKind.RECEIPT,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _evidence_help()


ACTION_FORMS = {
    "refuse": RefuseForm,
    "transfer": TransferForm,
    "assign": AssignForm,
    "start": StartForm,
    "escalate": EscalateForm,
    "request_extension": ExtensionRequestForm,
    "decide_extension": DecideExtensionForm,
    "supervise": SuperviseForm,
    "resolve": ResolveForm,
    "answer": AnswerForm,
    "reopen": ReopenForm,
    "reverify": ReverifyForm,
    "log_contact": ContactForm,
    "archive": ArchiveForm,
    "pause": PauseForm,
    "resume": ResumeForm,
    "extend_statutory": ExtendStatutoryForm,
    "refile": RefileForm,
    "withdraw": WithdrawForm,
    "merge": MergeForm,
    "attach": AttachForm,
    "attach_recording": RecordingForm,
    "remove_attachment": RemoveAttachmentForm,
}
#: Actions whose form uploads files (multipart; the API has its own endpoint).
FILE_ACTIONS = frozenset(
    name
    for name, form_class in ACTION_FORMS.items()
    if any(isinstance(f, forms.FileField) for f in form_class.base_fields.values())
)


#: The work queues as the filter bar and the workbench name them.
QUEUE_LABELS = {"awaiting_assignment": _("待分办"), "awaiting_approval": _("待我审批")}


class ListFilterForm(ReferenceSelectsMixin, forms.Form):
    """The list's filters (also the API list's). ``{{ form.as_filter_bar }}`` lays
    them out as the list's filter bar (complaints/_filter_bar.html)."""

    template_name_filter_bar = "complaints/_filter_bar.html"
    reference_fields = ("institution", "business", "cause")

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=SEARCH_MAX,
        widget=forms.TextInput(
            attrs={"placeholder": _("编号 / 姓名 / 电话 / 关键词"), "type": "search"}
        ),
    )
    status = forms.MultipleChoiceField(
        label=_("状态"),
        choices=ComplaintStatus.choices,
        required=False,
        # Ticked in a disclosure that opens over the bar: a <select multiple> needs
        # Ctrl-click, and Chromium labels a one-row one "0 selected" in English.
        widget=forms.CheckboxSelectMultiple,
    )
    intake_source = forms.ChoiceField(
        label=_("来源"), required=False, choices=[("", _("全部")), *IntakeSource.choices]
    )
    business = TaxonomyCodeChoiceField(
        label=_("业务类别"),
        required=False,
        queryset=TaxonomyCode.objects.filter(dimension="B"),
        empty_label=_("全部"),
    )
    cause = TaxonomyCodeChoiceField(
        label=_("投诉原因"),
        required=False,
        queryset=TaxonomyCode.objects.filter(dimension="C"),
        empty_label=_("全部"),
    )
    complexity = forms.ChoiceField(
        label=_("复杂程度"), required=False, choices=[("", _("全部")), *Complexity.choices]
    )
    institution = InstitutionChoiceField(
        label=_("机构（含下级）"),
        required=False,
        queryset=Institution.objects.none(),
        empty_label=_("全部"),
    )
    # The hot spots' and the board's "本级" cells: cases handled at the institution
    # itself, not below it.
    own = StrictBooleanField(label=_("仅本级"), required=False)
    date_from = forms.DateField(label=_("受理日期自"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE_WIDGET)
    overdue = StrictBooleanField(label=_("逾期"), required=False)
    major = StrictBooleanField(label=_("重大"), required=False)
    repeat = StrictBooleanField(label=_("重复"), required=False)
    mine = StrictBooleanField(label=_("分办给我"), required=False)
    due_today = StrictBooleanField(label=_("今日到期"), required=False)
    queue = forms.ChoiceField(label=_("待办"), required=False, choices=())
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("received", _("受理时间（新→旧）")),
            ("received_asc", _("受理时间（旧→新）")),
            ("due", _("答复期限")),
            ("status", _("状态")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        institution = self.fields["institution"]
        institution.queryset = access.institutions_visible_to(user).order_by("path")
        # Only the queues the user acts on (待分办, 待我审批); none, no field.
        queues = selectors.queues_for(user)
        if queues:
            self.fields["queue"].choices = [
                ("", _("全部")),
                *((name, QUEUE_LABELS[name]) for name in queues),
            ]
        else:
            del self.fields["queue"]
        self.user = user

    def as_filter_bar(self) -> SafeString:
        """The fields of the list's filter bar, each in a ``div.field``: a checkbox
        inside its label, a group of checkboxes in a disclosure under a legend, any
        other widget after its label, errors last."""
        return self.render(self.template_name_filter_bar)

    def status_summary(self) -> str:
        """What the closed group of status checkboxes shows: the ticked labels, or
        全部 (all, as the selects say) when none is ticked; a value that is not a
        choice is left to the field's error."""
        field = self["status"]
        labels = dict(field.field.choices)
        chosen = [str(labels[v]) for v in field.value() or () if v in labels]
        return str(_("、")).join(chosen) if chosen else str(_("全部"))

    def _clean_bound(self, name):
        value = self.cleaned_data.get(name)
        if value and not (EARLIEST_YEAR <= value.year <= timezone.localdate().year + 1):
            raise forms.ValidationError(
                _("请输入 %(start)d 年至今的日期。") % {"start": EARLIEST_YEAR}
            )
        return value

    def clean_date_from(self):
        return self._clean_bound("date_from")

    def clean_date_to(self):
        return self._clean_bound("date_to")


def filters_from_form(form: ListFilterForm) -> tuple[ComplaintFilters, str]:
    """The list filters as the selector takes them; an invalid form filters nothing.
    Shared by the browser list and the API list so both filter alike."""
    d = form.cleaned_data if form.is_valid() else {}
    return (
        ComplaintFilters(
            status=d.get("status") or None,
            intake_source=d.get("intake_source") or "",
            business=d["business"].pk if d.get("business") else None,
            cause=d["cause"].pk if d.get("cause") else None,
            complexity=d.get("complexity") or "",
            institution=d.get("institution"),
            own_level=bool(d.get("own")),
            overdue=bool(d.get("overdue")),
            major=bool(d.get("major")),
            repeat=bool(d.get("repeat")),
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            q=d.get("q") or "",
            mine=bool(d.get("mine")),
            due_today=bool(d.get("due_today")),
            queue=d.get("queue") or "",
        ),
        d.get("sort") or "received",
    )


# --- bulk actions from the list ---------------------------------------------------------


class BulkActionForm(ReferenceSelectsMixin, forms.Form):
    """批量操作 under the list: the complaints ticked in the table (``pk``), the action
    and, to assign, the handler (who brings the institution: the handler's own). The
    service checks each complaint through the action table (complaints.bulk)."""

    action = forms.ChoiceField(label=_("批量操作"), choices=())
    handler = ModelChoiceField(
        label=_("处理人"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs={"data-user-content": ""}),  # names are entered data
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    reference_fields = ("handler",)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        from .bulk import BULK_ACTIONS
        from .workflow import ACTIONS

        self.fields["action"].choices = [("", NO_CHOICE)] + [
            (name, ACTIONS[name].label) for name in BULK_ACTIONS
        ]
        handler = self.fields["handler"]
        handler.queryset = eligible_handlers(user).exclude(institution__kind="regulator")
        handler.label_from_instance = staff_label

    def clean(self):
        data = super().clean()
        try:
            data["pks"] = [int(pk) for pk in self.data.getlist("pk")]
        except ValueError:
            data["pks"] = []
        if data.get("action") == "assign" and not data.get("handler"):
            self.add_error("handler", _("批量分办须选择处理人。"))
        if not data["pks"]:
            raise forms.ValidationError(_("请先勾选投诉。"), code="none_selected")
        return data

    def action_data(self) -> dict:
        """The keywords of the action's perform function."""
        if self.cleaned_data["action"] == "assign":
            handler = self.cleaned_data["handler"]
            return {"institution": handler.institution, "handler": handler}
        return {}


class AnswerTemplateForm(forms.ModelForm):
    """A manager's answer template: the institution is one in the manager's scope;
    the placeholders are checked on save (``AnswerTemplate.clean``)."""

    class Meta:
        model = AnswerTemplate
        fields = ("title", "institution", "category", "text", "is_active")
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        from .answer_templates import PLACEHOLDERS

        self.fields["institution"].queryset = (
            access.institutions_visible_to(user).filter(is_active=True).order_by("path")
        )
        self.fields["institution"].initial = user.institution_id
        self.fields["text"].help_text = _("可用的占位符：%(names)s") % {
            "names": str(_("、")).join(
                _("%(name)s（%(label)s）") % {"name": "{" + n + "}", "label": label}
                for n, label in PLACEHOLDERS.items()
            )
        }
