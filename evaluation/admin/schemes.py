"""Indicator schemes, their sections and indicators (import and export)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from evaluation import rules as access
from institutions.admin_access import ScopedAdmin, ScopedAdminMixin

from ..models import Indicator, IndicatorScheme, Section
from ..resources import IndicatorResource


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ("order", "code", "name", "kind", "weight", "topics")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = (
        "order",
        "section",
        "code",
        "name",
        "method",
        "computed_kind",
        "max_score",
        "weight",
        "formula",
        "zero_at",
        "full_at",
        "bands",
        "direction",
    )
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            scheme_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(scheme_id=scheme_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SchemeEditableMixin:
    """A scheme and its lines change while ``rules.scheme_is_editable``."""

    def _scheme_of(self, obj):
        return obj if isinstance(obj, IndicatorScheme) else getattr(obj, "scheme", None)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and access.scheme_is_editable(
            self._scheme_of(obj)
        )

    def has_add_permission(self, request, obj=None):
        args = (request, obj) if isinstance(self, admin.options.InlineModelAdmin) else (request,)
        return super().has_add_permission(*args) and access.scheme_is_editable(self._scheme_of(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and access.scheme_is_editable(
            self._scheme_of(obj)
        )


class EditableSectionInline(SchemeEditableMixin, SectionInline):
    pass


class EditableIndicatorInline(SchemeEditableMixin, IndicatorInline):
    pass


@admin.register(IndicatorScheme)
class IndicatorSchemeAdmin(SchemeEditableMixin, ScopedAdmin):
    """A scheme is edited while its period is open (the template at any time); once
    scoring starts it is fixed. New periods copy the previous period's scheme."""

    list_display = ("name", "code", "is_template", "period_display", "grade_scale")
    fields = ("code", "name", "grade_scale", "key_supervision_overdue_threshold", "note")
    inlines = [EditableSectionInline, EditableIndicatorInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("grade_scale", "period")
        return qs.filter(access.scheme_q(request.user)).distinct()

    def has_add_permission(self, request, obj=None):
        return False  # schemes are copied by the periods

    @admin.display(description=_("考核期"))
    def period_display(self, obj):
        period = getattr(obj, "period", None)
        return period.name if period else "—"


@admin.register(Indicator)
class IndicatorAdmin(SchemeEditableMixin, ScopedAdminMixin, ImportExportModelAdmin):
    """All indicators, filterable by scheme; import and export with Chinese columns."""

    resource_classes = [IndicatorResource]
    list_display = ("code", "name", "scheme", "section", "method", "max_score", "weight")
    list_filter = ("scheme", "method")
    list_select_related = ("scheme", "section")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        schemes = IndicatorScheme.objects.filter(access.scheme_q(request.user))
        return qs.filter(scheme__in=schemes)

    def has_add_permission(self, request):
        return False  # added in the scheme's page or by import

    def has_import_permission(self, request):
        return request.user.has_perm("evaluation.change_indicator")

    def has_export_permission(self, request):
        return request.user.has_perm("evaluation.view_indicator")
