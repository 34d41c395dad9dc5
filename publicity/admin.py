from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from institutions.access import institutions_visible_to
from institutions.admin_access import ScopedAdmin, ScopedAdminMixin
from publicity.rules import campaign_list_for_user

from . import services
from .models import Activity, ActivityPhoto, Audience, Campaign, MediaReport, Topic
from .resources import ActivityResource


@admin.register(Topic, Audience)
class ReferenceItemAdmin(ScopedAdmin):
    """The editable lists of topics and audiences (reference data: not scoped)."""

    list_display = ("name", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name",)


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    scope_fields = ("organiser",)
    list_display = ("theme", "organiser", "starts_on", "ends_on")
    list_select_related = ("organiser",)
    search_fields = ("theme", "slogan")
    date_hierarchy = "starts_on"
    autocomplete_fields = ("organiser",)
    filter_horizontal = ("participants",)
    readonly_fields = ("created_by", "created_at")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "participants":
            kwargs["queryset"] = institutions_visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class MediaReportInline(admin.TabularInline):
    model = MediaReport
    extra = 0


class ActivityPhotoInline(admin.TabularInline):
    """Photos are uploaded on the activity pages (where they are checked); the admin
    lists them and links to the access-checked view."""

    model = ActivityPhoto
    extra = 0
    fields = ("link", "caption", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = ("link", "content_type", "size", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting on the activity page also removes the file.
        return False

    @admin.display(description=_("照片"))
    def link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("publicity:photo", args=[obj.pk]),
            obj.download_name,
        )


@admin.register(Activity)
class ActivityAdmin(ScopedAdminMixin, ExportMixin, admin.ModelAdmin):
    """Activities of the user's scope; exportable with Chinese column names."""

    resource_classes = [ActivityResource]
    scope_fields = ("institution",)
    list_display = ("title", "campaign", "institution", "held_on", "kind", "people_reached")
    list_filter = ("kind", "campaign")
    list_select_related = ("campaign", "institution")
    search_fields = ("title", "place", "institution__name")
    date_hierarchy = "held_on"
    autocomplete_fields = ("institution",)
    filter_horizontal = ("topics", "audiences")
    readonly_fields = ("recorded_by", "created_at", "updated_at")
    inlines = [MediaReportInline, ActivityPhotoInline]

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("topics", "audiences")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "campaign":
            kwargs["queryset"] = campaign_list_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        services.activity_delete(user=request.user, activity=obj)

    def delete_queryset(self, request, queryset):
        for activity in queryset:
            services.activity_delete(user=request.user, activity=activity)
