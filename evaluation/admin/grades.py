"""Grade scales and their bands."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from institutions.admin_access import ScopedAdmin

from ..models import GradeBand, GradeScale


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0
    fields = ("label", "min_score", "is_commended", "is_disclosed", "proposes_key_supervision")


@admin.register(GradeScale)
class GradeScaleAdmin(ScopedAdmin):
    """Grade labels and thresholds (A ≥ 90, B ≥ 75, C ≥ 60, D below, or 优秀…)."""

    list_display = ("name", "bands_display")
    inlines = [GradeBandInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bands")

    @admin.display(description=_("等级"))
    def bands_display(self, obj):
        return "，".join(f"{b.label}≥{b.min_score:g}" for b in obj.bands.all())
