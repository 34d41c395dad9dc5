"""Training records in the admin: read by the office within its jurisdiction (and
by system administrators); sessions are recorded through the desk's form, which
checks the trainees' scope, so the admin does not add or edit them."""

from __future__ import annotations

from django.contrib import admin

from . import rules
from .models import Trainee, TrainingMaterial, TrainingSession


class TraineeInline(admin.TabularInline):
    model = Trainee
    extra = 0
    fields = ("name", "user", "institution")
    readonly_fields = fields
    can_delete = False


class MaterialInline(admin.TabularInline):
    model = TrainingMaterial
    extra = 0
    fields = ("original_name", "content_type", "size", "uploaded_by", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ("held_on", "topic", "organiser", "hours", "recorded_by")
    list_filter = ("held_on",)
    search_fields = ("topic",)
    date_hierarchy = "held_on"
    inlines = (TraineeInline, MaterialInline)
    readonly_fields = (
        "organiser",
        "held_on",
        "topic",
        "hours",
        "content",
        "recorded_by",
        "created_at",
    )

    def get_queryset(self, request):
        return rules.training_list_for_user(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
