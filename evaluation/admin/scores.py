"""Every score as a list, with the import and export of the manual ones."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from institutions.admin_access import ScopedAdminMixin

from .. import scoring
from ..models import IndicatorScore
from ..resources import ManualScoreResource


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(ScopedAdminMixin, ImportExportModelAdmin):
    """Every score as a list; the manual ones are exported and imported here
    (考核期代码, 机构代码, 指标代码, 得分, 评分理由) with a preview. Scores are edited on
    the institution's sheet."""

    resource_classes = [ManualScoreResource]
    scope_fields = ("sheet__period__regulator",)
    list_display = ("sheet", "indicator", "raw_value_display", "score", "scored_by", "scored_at")
    list_filter = ("sheet__period", "indicator__method", "indicator__section__name")
    list_select_related = ("sheet__period", "sheet__institution", "indicator", "scored_by")
    search_fields = ("sheet__institution__name", "indicator__code", "indicator__name")

    @admin.display(description=_("原始值"), ordering="raw_value")
    def raw_value_display(self, obj):
        return scoring.raw_value_text(obj.indicator.computed_kind, obj.raw_value)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return request.user.has_perm("evaluation.score")

    def has_export_permission(self, request):
        return request.user.has_perm("evaluation.view_indicatorscore")
