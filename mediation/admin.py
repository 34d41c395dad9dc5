"""The mediator roster (调解员名册) is kept in the admin by the office's supervisors;
each office sees and keeps its own roster. Cases are not edited here: every step goes
through ``mediation.workflow``."""

from __future__ import annotations

from django.contrib import admin

from institutions import access

from .models import Mediator


@admin.register(Mediator)
class MediatorAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "institution", "office", "active")
    list_filter = ("active",)
    search_fields = ("name", "organisation")
    autocomplete_fields = ()
    filter_horizontal = ("conflicts",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(access.institution_q(request.user, "office"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("office", "institution"):
            kwargs["queryset"] = access.institutions_visible_to(request.user).order_by("path")
        if db_field.name == "user":
            from institutions.models import User

            kwargs["queryset"] = User.objects.filter(
                access.institution_q(request.user, "institution")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "conflicts":
            kwargs["queryset"] = access.institutions_visible_to(request.user).order_by("path")
        return super().formfield_for_manytomany(db_field, request, **kwargs)
