"""Complaints are read in the admin (the workflow is the only writer); the filtered
list exports masked, and every export is written to the personal-data access log.
Personal data shows at the list level of masking throughout, the numbers written into
free text included (``complaints.pii.complaint_for_list``)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from complaints.rules import complaint_q
from institutions.admin_access import ReadOnlyAdmin, ScopedAdmin
from institutions.auth import client_ip

from . import masking, pii
from .enums import PiiAccessKind
from .models import (
    AnswerTemplate,
    Complaint,
    ComplaintPause,
    HandlingCategory,
    HotlineTransfer,
    PiiAccessLog,
    StatutoryRulePack,
    TaxonomyCode,
    TimelineEntry,
    Urge,
)
from .resources import ComplaintExportResource


def _masked(obj, complaint, attr: str) -> str:
    """A free-text attribute of ``obj`` (the complaint or a row about it) at the list
    level of masking."""
    return pii.Redactor(complaint, masking.LIST)(getattr(obj, attr))


class TimelineInline(admin.TabularInline):
    model = TimelineEntry
    fields = ("created_at", "actor", "action", "from_status", "to_status", "masked_note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("说明"))
    def masked_note(self, obj):
        return _masked(obj, obj.complaint, "note")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ExportMixin, ReadOnlyAdmin):
    def scoped(self, request, queryset):
        return queryset.filter(complaint_q(request.user))

    resource_classes = [ComplaintExportResource]
    list_display = (
        "tracking_no",
        "received_at",
        "masked_name",
        "masked_phone",
        "handling_institution",
        "category",
        "status",
        "due_at",
        "is_major",
        "is_repeat",
    )
    list_filter = (
        "status",
        "intake_source",
        "kind",
        "complexity",
        "is_major",
        "is_repeat",
        "category",
        ("received_at", admin.DateFieldListFilter),
    )
    search_fields = ("tracking_no",)
    list_select_related = ("handling_institution", "category")
    date_hierarchy = "received_at"
    inlines = [TimelineInline]
    exclude = (
        "complainant_name",
        "complainant_phone",
        "id_number",
        "contact_address",
        "account_number",
        *pii.FREE_TEXT_FIELDS,
    )
    readonly_fields = (
        "tracking_no",
        "masked_name",
        "masked_phone",
        "masked_id",
        "masked_account",
        "status",
        *(f"masked_{name}" for name in pii.FREE_TEXT_FIELDS),
    )

    @admin.display(description=_("投诉人"))
    def masked_name(self, obj):
        return masking.mask_name(obj.complainant_name)

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj):
        return masking.mask_phone(obj.complainant_phone)

    @admin.display(description=_("证件号码"))
    def masked_id(self, obj):
        return masking.mask_id_number(obj.id_number)

    @admin.display(description=_("银行卡号/账号"))
    def masked_account(self, obj):
        return masking.mask_card(obj.account_number)

    def has_export_permission(self, request):
        return request.user.has_perm("complaints.view_complaint")

    def get_export_queryset(self, request):
        return super().get_export_queryset(request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        from .services import pii_access_record

        data = super().get_export_data(file_format, request, queryset, **kwargs)
        pii_access_record(
            user=request.user,
            complaint=None,
            kind=PiiAccessKind.EXPORT,
            fields=["masked"],
            ip=client_ip(request),
            note=f"admin export, {queryset.count()} rows",
        )
        return data


def _masked_text_display(name: str):
    @admin.display(description=Complaint._meta.get_field(name).verbose_name)
    def display(self, obj):
        return _masked(obj, obj, name)

    display.__name__ = f"masked_{name}"
    return display


# ComplaintAdmin.masked_<field> for each free-text field (its readonly_fields).
for _name in pii.FREE_TEXT_FIELDS:
    setattr(ComplaintAdmin, f"masked_{_name}", _masked_text_display(_name))


class OfficialCodeFilter(admin.SimpleListFilter):
    """The codes still without their JR/T 0169-2018 code: a regulator return using
    them is refused until they are mapped (docs/reports.md)."""

    title = _("标准代码")
    parameter_name = "official"

    def lookups(self, request, model_admin):
        return [("missing", _("未填写")), ("set", _("已填写"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(official_code="")
        if self.value() == "set":
            return queryset.exclude(official_code="")
        return queryset


@admin.register(TaxonomyCode)
class TaxonomyCodeAdmin(ScopedAdmin):
    list_display = ("code", "name", "dimension", "level", "parent", "official_code", "is_active")
    # The mapping to the official codes is edited in the list, a column at a time.
    list_editable = ("official_code",)
    list_filter = (OfficialCodeFilter, "dimension", "is_active")
    search_fields = ("code", "name", "official_code")


@admin.register(HotlineTransfer)
class HotlineTransferAdmin(ReadOnlyAdmin):
    scope_fields = ("complaint__handling_institution",)
    list_display = ("source", "source_id", "complaint", "imported_at", "imported_by")
    list_filter = ("source",)
    list_select_related = ("complaint", "imported_by")
    search_fields = ("source_id",)


class HandlingCategoryForm(forms.ModelForm):
    class Meta:
        model = HandlingCategory
        fields = ("name", "name_en", "complexity", "typical_causes", "ordering")

    def clean_typical_causes(self):
        """A cause suggests one category at intake: it may be typical of one only."""
        causes = self.cleaned_data["typical_causes"]
        taken = (
            HandlingCategory.typical_causes.through.objects.filter(taxonomycode__in=causes)
            .exclude(handlingcategory=self.instance.pk)
            .select_related("taxonomycode", "handlingcategory")
        )
        if taken:
            raise forms.ValidationError(
                [
                    _("“%(cause)s”已是处理类别“%(category)s”的典型投诉原因。")
                    % {"cause": t.taxonomycode.name, "category": t.handlingcategory.name}
                    for t in taken
                ]
            )
        return causes


@admin.register(HandlingCategory)
class HandlingCategoryAdmin(ScopedAdmin):
    form = HandlingCategoryForm
    list_display = ("name", "complexity", "ordering")
    filter_horizontal = ("typical_causes",)


@admin.register(PiiAccessLog)
class PiiAccessLogAdmin(ReadOnlyAdmin):
    scope_fields = ("user__institution",)
    list_display = ("created_at", "user", "complaint", "kind", "fields", "ip_address")
    list_filter = ("kind",)
    list_select_related = ("user", "complaint")


@admin.register(Urge)
class UrgeAdmin(ReadOnlyAdmin):
    def scoped(self, request, queryset):
        return queryset.filter(complaint_q(request.user, "complaint"))

    list_display = ("created_at", "complaint", "urged_by", "expected_by")
    list_select_related = ("complaint", "urged_by")
    fields = ("complaint", "urged_by", "masked_note", "expected_by", "created_at")
    readonly_fields = fields

    @admin.display(description=_("督办意见"))
    def masked_note(self, obj):
        return _masked(obj, obj.complaint, "note")


@admin.register(StatutoryRulePack)
class StatutoryRulePackAdmin(ScopedAdmin):
    """法定时限规则: a revised measure is a new version with a later effective date.
    A pack complaints were opened under is shown, never changed or deleted: each
    complaint keeps the pack and the due time it was given (complaints.clock)."""

    list_display = (
        "version",
        "name",
        "effective_from",
        "base_days",
        "complex_days",
        "special_days",
    )

    def _in_use(self, obj) -> bool:
        return obj is not None and Complaint.objects.filter(statutory_pack=obj).exists()

    def get_readonly_fields(self, request, obj=None):
        if self._in_use(obj):
            return [f.name for f in StatutoryRulePack._meta.fields]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_delete_permission(request, obj)


@admin.register(ComplaintPause)
class ComplaintPauseAdmin(ReadOnlyAdmin):
    """中止计时, written only by the pause and resume actions."""

    def scoped(self, request, queryset):
        return queryset.filter(complaint_q(request.user, "complaint"))

    list_display = (
        "started_at",
        "complaint",
        "reason",
        "resumed_at",
        "statutory_days",
        "promise_days",
    )
    list_filter = ("reason",)
    list_select_related = ("complaint",)
    fields = (
        "complaint",
        "reason",
        "consumer_told_via",
        "consumer_told_at",
        "started_at",
        "paused_by",
        "resumed_at",
        "resumed_by",
        "statutory_days",
        "promise_days",
    )
    readonly_fields = fields


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(ScopedAdmin):
    """答复模板 of the office's jurisdiction (bank managers keep theirs on the staff
    page complaints:answer_templates, which shares the form's placeholder check)."""

    scope_fields = ("institution",)
    list_display = ("title", "institution", "category", "is_active", "updated_at")
    list_filter = ("is_active", "category")
    search_fields = ("title", "text")
    readonly_fields = ("updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        from .answer_templates import template_save

        template_save(actor=request.user, template=obj)
