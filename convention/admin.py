"""The convention in the admin: each office sees its own versions (and may withdraw
one by clearing "active") and the signatures of its jurisdiction. Publishing and
signing go through the desk's forms, which check the rules."""

from __future__ import annotations

from django.contrib import admin

from . import rules
from .models import ConventionSignature, ConventionVersion


@admin.register(ConventionVersion)
class ConventionVersionAdmin(admin.ModelAdmin):
    list_display = ("label", "office", "effective_on", "active", "published_by")
    list_filter = ("active",)
    readonly_fields = ("office", "label", "text", "effective_on", "published_by", "created_at")
    fields = ("office", "label", "effective_on", "active", "text", "published_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(rules.versions_q(request.user))

    def has_add_permission(self, request):
        return False


@admin.register(ConventionSignature)
class ConventionSignatureAdmin(admin.ModelAdmin):
    list_display = ("institution", "version", "signed_on", "signer_name", "signer_title")
    list_filter = ("version",)
    search_fields = ("institution__name", "signer_name")
    readonly_fields = (
        "institution",
        "version",
        "signed_on",
        "signer_name",
        "signer_title",
        "recorded_by",
        "created_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(rules.signatures_q(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
