from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from .admin_access import ScopedAdmin, ScopedAdminMixin
from .models import Institution, User
from .resources import InstitutionResource


@admin.register(Institution)
class InstitutionAdmin(ScopedAdminMixin, ImportExportModelAdmin):
    """The institution tree: rows ordered by path and indented by depth."""

    resource_classes = [InstitutionResource]
    scope_fields = ("",)
    list_display = ("tree_name", "code", "kind", "regulator", "complaint_phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")
    list_select_related = ("regulator",)
    autocomplete_fields = ("parent",)
    ordering = ("path",)
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "parent", "regulator")}),
        (_("登记信息"), {"fields": ("unified_credit_code", "address", "is_active")}),
        (
            _("公示的投诉信息"),
            {
                "fields": (
                    "complaint_phone",
                    "complaint_department",
                    "complaint_scope",
                    "complaint_time_limit",
                    "hotline",
                )
            },
        ),
    )

    @admin.display(description=_("机构名称"), ordering="path")
    def tree_name(self, obj):
        # Indented with ideographic spaces, not a style attribute: the CSP allows
        # no inline style (docs/security.md).
        return format_html("{}{}{}", "\u3000" * obj.depth, "└ " if obj.depth else "", obj.name)


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    scope_fields = ("institution",)
    list_display = ("username", "full_name", "institution", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "full_name", "institution__name")
    list_select_related = ("institution",)
    autocomplete_fields = ("institution",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("人员信息"), {"fields": ("full_name", "email", "phone", "institution", "role")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser may hand out superuser rights.
        ro = super().get_readonly_fields(request, obj)
        return ro if request.user.is_superuser else (*ro, "is_superuser")

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "institution",
                    "role",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


__all__ = ["ScopedAdmin"]
