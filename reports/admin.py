from django.contrib import admin

from institutions.admin_access import ScopedAdmin

from .models import ReportPack, ReturnDefinition


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


@admin.register(ReturnDefinition)
class ReturnDefinitionAdmin(ScopedAdmin):
    """Return formats are reference data: the office adds the one a regulator asks
    for here (the model's clean refuses a spec the generator could not follow)."""

    list_display = ("name", "slug", "frequency", "is_active", "ordering")
    list_filter = ("frequency", "is_active")
    search_fields = ("name", "slug")
