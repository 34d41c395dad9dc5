"""The archive and the enforcement cases are read in the admin; they are written on
the desk's pages (the services mask personal data and notify), never here."""

from django.contrib import admin

from institutions.admin_access import ReadOnlyAdmin

from .models import CaseReadReceipt, Circulation, EnforcementCase, TypicalCase


class CirculationInline(admin.TabularInline):
    model = Circulation
    fields = ("institution", "circulated_by", "circulated_at", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TypicalCase)
class TypicalCaseAdmin(ReadOnlyAdmin):
    scope_fields = ("owner",)
    list_display = ("title", "category", "owner", "complaint", "published", "created_at")
    list_filter = ("category", "published")
    list_select_related = ("owner", "complaint")
    search_fields = ("title",)
    date_hierarchy = "created_at"
    # The complaint's personal data is not shown here; the texts are stored masked.
    fields = (
        "title",
        "category",
        "complaint",
        "owner",
        "cause_analysis",
        "handling_process",
        "lessons",
        "published",
        "published_at",
        "published_by",
        "created_by",
        "created_at",
    )
    inlines = [CirculationInline]


@admin.register(Circulation)
class CirculationAdmin(ReadOnlyAdmin):
    scope_fields = ("institution",)
    list_display = ("case", "institution", "circulated_by", "circulated_at")
    list_select_related = ("case", "institution", "circulated_by")
    date_hierarchy = "circulated_at"


@admin.register(CaseReadReceipt)
class CaseReadReceiptAdmin(ReadOnlyAdmin):
    scope_fields = ("institution",)
    list_display = ("circulation", "institution", "user", "read_at")
    list_select_related = ("circulation__case", "institution", "user")
    date_hierarchy = "read_at"


@admin.register(EnforcementCase)
class EnforcementCaseAdmin(ReadOnlyAdmin):
    scope_fields = ("institution",)
    list_display = ("case_no", "kind", "institution", "complaint", "status", "opened_at")
    list_filter = ("kind", "status")
    list_select_related = ("institution", "complaint")
    search_fields = ("case_no",)
    date_hierarchy = "opened_at"
    fields = (
        "case_no",
        "kind",
        "status",
        "complaint",
        "institution",
        "office",
        "summary",
        "opened_by",
        "opened_at",
        "result",
        "closed_by",
        "closed_at",
    )


# Measures and rectification items register their own admin beside their domain.
from .measures import admin as _measures_admin  # noqa: E402, F401
