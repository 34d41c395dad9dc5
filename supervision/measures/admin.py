"""Measures and rectification items are read in the admin; they are written on the
desk's pages (the services check the scope, mask free text and notify)."""

from django.contrib import admin

from institutions.admin_access import ReadOnlyAdmin

from .models import Measure, RectificationEvent, RectificationItem


class EventInline(admin.TabularInline):
    model = RectificationEvent
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    scope_fields = ("institution",)
    list_display = ("taken_on", "kind", "institution", "office", "recorded_by")
    list_filter = ("kind",)
    list_select_related = ("institution", "office", "recorded_by")
    date_hierarchy = "taken_on"
    fields = (
        "institution",
        "office",
        "kind",
        "taken_on",
        "basis",
        "content",
        "complaints",
        "enforcement_case",
        "recorded_by",
        "recorded_at",
    )


@admin.register(RectificationItem)
class RectificationItemAdmin(ReadOnlyAdmin):
    scope_fields = ("institution",)
    list_display = ("institution", "source", "due_on", "status", "overseer", "overdue_at")
    list_filter = ("status", "source")
    list_select_related = ("institution", "overseer")
    date_hierarchy = "due_on"
    fields = (
        "institution",
        "overseer",
        "source",
        "measure",
        "complaint",
        "source_ref",
        "cause",
        "business_line",
        "period",
        "requirement",
        "due_on",
        "status",
        "response",
        "answered_at",
        "answered_by",
        "decision_note",
        "accepted_at",
        "reminded_at",
        "overdue_at",
        "opened_by",
        "opened_at",
    )
    inlines = [EventInline]
