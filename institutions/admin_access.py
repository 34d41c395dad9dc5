"""The admin's side of the access policy: every ModelAdmin in the project derives
from ScopedAdmin, so its rows come from institutions.access and nowhere else."""

from django.contrib import admin
from django.http import Http404

from . import access


class ScopedAdminMixin:
    #: Lookup paths to the institution(s) that own a row; empty means the model is
    #: not institution-owned (reference data) and only the permission applies.
    scope_fields: tuple[str, ...] = ()

    def has_module_permission(self, request):
        return access.can_use_admin(request.user)

    def get_queryset(self, request):
        return self.scoped(request, super().get_queryset(request))

    def scoped(self, request, queryset):
        """The rows the user may see. An app whose visibility is more than "an
        institution field in scope" (complaints) overrides this with its own rule,
        so the admin and the app's pages share one definition."""
        if self.scope_fields:
            queryset = access.scope(request.user, queryset, *self.scope_fields)
        return queryset

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # The same answer as everywhere else: an object outside the scope (or
        # missing) is not found, rather than a redirect that hints it may exist.
        raise Http404

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Nobody can point a row at an institution outside their own scope.
        from .models import Institution

        if db_field.related_model is Institution:
            base = kwargs.get("queryset") or db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = access.scope(
                request.user, base.complex_filter(db_field.get_limit_choices_to())
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdmin(ScopedAdmin):
    """Records written only by the system (logs, receipts, urges): shown, never
    added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
