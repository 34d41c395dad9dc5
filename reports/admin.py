from django.contrib import admin

from institutions.admin_access import ScopedAdmin

from .models import ReportPack


@admin.register(ReportPack)
class ReportPackAdmin(ScopedAdmin):
    scope_fields = ("root",)
    list_display = ("created_at", "year", "quarter", "root", "requested_by", "status", "progress")
    list_filter = ("status", "year", "quarter")
    list_select_related = ("root", "requested_by")
    readonly_fields = (
        "year",
        "quarter",
        "root",
        "requested_by",
        "status",
        "progress",
        "step",
        "error",
        "finished_at",
    )
    exclude = ("file",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
