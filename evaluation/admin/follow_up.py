"""The institution's side (self-assessments), follow-up (inspections) and the
audit log."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from evaluation import rules as access
from institutions.admin_access import ReadOnlyAdmin, ScopedAdmin

from ..models import AppraisalLog, Inspection, ScoreSheet, SelfAssessment, SelfAssessmentEntry
from .forms import InspectionForm


class SelfAssessmentEntryInline(admin.TabularInline):
    model = SelfAssessmentEntry
    extra = 0
    fields = ("section", "own_score", "text")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdmin):
    """The institutions fill their self-assessment on their own pages; the office
    reads it here."""

    scope_fields = ("period__regulator",)
    list_display = ("institution", "period", "status", "submitted_at", "on_time_display")
    list_filter = ("period", "status")
    list_select_related = ("institution", "period")
    fields = (
        "period",
        "institution",
        "status",
        "submitted_at",
        "submitted_by",
        "problems_and_measures",
    )
    readonly_fields = fields
    inlines = [SelfAssessmentEntryInline]

    @admin.display(description=_("按时报送"), boolean=True)
    def on_time_display(self, obj):
        return obj.on_time


@admin.register(Inspection)
class InspectionAdmin(ScopedAdmin):
    """专项检查 / 综合检查 planned for the institutions under key supervision, with
    findings and the rectification deadline."""

    form = InspectionForm
    scope_fields = ("regulator",)
    list_display = (
        "institution",
        "kind",
        "subject",
        "planned_on",
        "inspected_on",
        "rectification_due",
        "rectified_on",
    )
    list_filter = ("kind",)
    list_select_related = ("institution",)
    autocomplete_fields = ("institution",)
    readonly_fields = ("rectification_link",)

    @admin.display(description=_("整改事项"))
    def rectification_link(self, obj: Inspection) -> str:
        """A finding becomes a rectification item on the supervision desk, which
        tracks it to the office's acceptance (the item records this inspection)."""
        if obj.pk is None:
            return "—"
        try:
            url = reverse("supervision:rectification_new")
        except NoReverseMatch:
            return "—"
        query = urlencode(
            {
                "source": "inspection",
                "institution": obj.institution_id,
                "ref": f"{obj.get_kind_display()} {obj.subject}"[:300],
            }
        )
        return format_html('<a href="{}?{}">{}</a>', url, query, _("据检查发现发起整改"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source_sheet":
            kwargs["queryset"] = (
                access.sheet_list_for_staff(request.user, ScoreSheet.objects.all())
                .key_supervised()
                .select_related("period", "institution")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AppraisalLog)
class AppraisalLogAdmin(ReadOnlyAdmin):
    """Written by the services only."""

    scope_fields = ("period__regulator",)
    list_display = ("created_at", "period", "sheet", "actor", "action", "note")
    list_filter = ("action", "period")
    list_select_related = ("period", "sheet__institution", "actor")
